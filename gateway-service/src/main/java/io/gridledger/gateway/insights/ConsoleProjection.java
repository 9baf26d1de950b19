package io.gridledger.gateway.insights;

import io.micronaut.context.annotation.Requires;
import io.gridledger.gateway.api.ApiSettings;
import io.gridledger.gateway.auth.AtomicFile;
import io.gridledger.gateway.dispatch.EventReaders;
import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.EventCheckpoint;
import io.gridledger.ledger.EventStream;
import io.gridledger.ledger.Ledger;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The gateway's projection of the whole ledger for the admin console: one reader thread follows the contract's events
 * from where the projection stopped, reads the {@link EventFacts} each one needs and applies it
 * ({@link LedgerProjection}); requests read the projection, never the ledger.
 *
 * <p>Nothing is lost on restart: the projection is written with the event it reached (a sibling temporary file, fsync,
 * atomic rename) every {@code snapshot-interval} when it changed and when the gateway stops, and reading resumes right
 * after that event. With no snapshot it starts at the ledger's first block.
 *
 * <p>Live: {@link #blocks()} tells each block with events (its number and event names) once the block's events were
 * applied; {@link #alerts()} each alert as it is raised.
 */
@Requires(beans = Ledger.class)
@Singleton
public final class ConsoleProjection implements ApplicationEventListener<StartupEvent>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleProjection.class);
    private static final long BLOCK_QUIET_MILLIS = 150;

    private final InsightsSettings settings;
    private final Ledger ledger;
    private final JsonMapper json;
    private final Path snapshot;
    private final Object lock = new Object();
    private final LedgerProjection projection;
    private final Sinks.Many<InsightViews.LedgerBlock> blocks = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<InsightViews.Alert> alerts = Sinks.many().multicast().directBestEffort();
    private final AtomicReference<EventStream> stream = new AtomicReference<>();
    private final ScheduledExecutorService timer;
    /** Guarded by {@code lock}: the block whose events are being applied and their names. */
    private long pendingBlock = -1;
    private final LinkedHashSet<String> pendingKinds = new LinkedHashSet<>();
    private long lastEventAt;
    private boolean dirty;
    private volatile boolean stopped;
    /** Whether the reader waits for the next event (a block is told only then: the stream has no end-of-block mark). */
    private volatile boolean waiting;
    private volatile Thread reader;

    ConsoleProjection(InsightsSettings settings, ApiSettings api, Ledger ledger, JsonMapper json) {
        this.settings = settings;
        this.ledger = ledger;
        this.json = json;
        this.snapshot = settings.snapshotFile() == null || settings.snapshotFile().isBlank()
                ? Path.of(api.dataDir()).resolve("console-projection.json") : Path.of(settings.snapshotFile());
        this.projection = new LedgerProjection(load(), settings.maxAlerts());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "console-projection-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        start();
    }

    /** Starts following the ledger (once), when enabled. */
    public synchronized void start() {
        if (!settings.enabled() || reader != null || stopped) {
            return;
        }
        long interval = settings.snapshotInterval().toMillis();
        timer.scheduleWithFixedDelay(this::flushBlock, BLOCK_QUIET_MILLIS, BLOCK_QUIET_MILLIS, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::saveIfChanged, interval, interval, TimeUnit.MILLISECONDS);
        reader = new Thread(this::run, "console-projection");
        reader.setDaemon(true);
        reader.start();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Reads the projection under its lock (the function must not keep references to its mutable parts). */
    public <T> T read(Function<ProjectionState, T> query) {
        synchronized (lock) {
            return query.apply(projection.state());
        }
    }

    /** Slots held per offer id. */
    public java.util.Map<String, Integer> slotsInUse() {
        synchronized (lock) {
            return projection.slotsInUse();
        }
    }

    public Flux<InsightViews.LedgerBlock> blocks() {
        return blocks.asFlux();
    }

    public Flux<InsightViews.Alert> alerts() {
        return alerts.asFlux();
    }

    private void run() {
        while (!stopped) {
            EventCheckpoint from = read(s -> s.blockNumber() < 0 ? EventCheckpoint.START
                    : EventCheckpoint.after(s.blockNumber(), s.txId()));
            LOG.info("console projection follows the ledger from block {} (after tx {}); snapshot {}", from.blockNumber(),
                    from.txId(), snapshot);
            try (var events = ledger.events(settings.identity(), from)) {
                stream.set(events);
                while (!stopped) {
                    waiting = true;
                    var event = events.next();
                    waiting = false;
                    apply(event);
                }
            } catch (RuntimeException e) {
                if (stopped) {
                    break;
                }
                LOG.warn("console projection stopped reading at block {} ({}); resuming in {}",
                        read(ProjectionState::blockNumber), e.toString(), settings.reconnectBackoff());
                if (!EventReaders.pause(settings.reconnectBackoff())) {
                    stopped = true;
                }
            } finally {
                stream.set(null);
            }
        }
    }

    private void apply(ChaincodeEvent event) {
        EventFacts facts;
        try {
            facts = EventFacts.read(ledger, settings.identity(), event, this::knows, read(s -> s.parameters() == null));
        } catch (ContractRefusal refusal) {
            // the assets it names cannot be read (should not happen): count the event, do not stop on it
            LOG.warn("console projection applies {} of block {} without its facts: {}", event.name(), event.blockNumber(),
                    refusal.getMessage());
            facts = EventFacts.NONE;
        }
        List<ProjectionState.Alert> raised;
        InsightViews.LedgerBlock finished = null;
        synchronized (lock) {
            if (pendingBlock >= 0 && pendingBlock != event.blockNumber()) {
                finished = takeBlock();
            }
            raised = projection.apply(event, facts);
            pendingBlock = event.blockNumber();
            pendingKinds.add(event.name());
            lastEventAt = System.nanoTime();
            dirty = true;
        }
        if (finished != null) {
            blocks.tryEmitNext(finished);
        }
        raised.forEach(a -> alerts.tryEmitNext(InsightViews.Alert.of(a)));
    }

    private boolean knows(String nodeId) {
        synchronized (lock) {
            return projection.knows(nodeId);
        }
    }

    /** Tells the pending block once no event of it arrived for a moment (the stream has no end-of-block mark). */
    private void flushBlock() {
        InsightViews.LedgerBlock finished = null;
        synchronized (lock) {
            if (pendingBlock >= 0 && waiting
                    && System.nanoTime() - lastEventAt > TimeUnit.MILLISECONDS.toNanos(BLOCK_QUIET_MILLIS)) {
                finished = takeBlock();
            }
        }
        if (finished != null) {
            blocks.tryEmitNext(finished);
        }
    }

    private InsightViews.LedgerBlock takeBlock() {
        var block = new InsightViews.LedgerBlock(pendingBlock, new ArrayList<>(pendingKinds));
        pendingBlock = -1;
        pendingKinds.clear();
        return block;
    }

    private ProjectionState load() {
        return AtomicFile.read(snapshot).map(bytes -> {
            try {
                var state = json.readValue(bytes, ProjectionState.class);
                LOG.info("console projection restored at block {} from {}", state.blockNumber(), snapshot);
                return state;
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable console projection " + snapshot, e);
            }
        }).orElseGet(ProjectionState::empty);
    }

    private void saveIfChanged() {
        try {
            byte[] bytes;
            synchronized (lock) {
                if (!dirty) {
                    return;
                }
                bytes = json.writeValueAsBytes(projection.state());
                dirty = false;
            }
            AtomicFile.write(snapshot, bytes);
        } catch (IOException | RuntimeException e) {
            LOG.warn("console projection not saved to {}: {}", snapshot, e.toString());
            synchronized (lock) {
                dirty = true;
            }
        }
    }

    /** Stops reading, waits for the event being applied, and writes the projection. */
    @PreDestroy
    @Override
    public void close() {
        stopped = true;
        var thread = reader;
        EventReaders.stop(stream.get(), thread);
        timer.shutdownNow();
        if (thread != null) {
            saveIfChanged();
        }
    }
}
