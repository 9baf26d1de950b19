package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.EventCheckpoint;
import io.gridledger.ledger.EventStream;
import io.gridledger.ledger.Identities;
import io.gridledger.ledger.Ledger;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads every GridLedger chaincode event from the checkpoint on, publishes what it means for this org
 * ({@link Dispatches}: its provider nodes' assignments keyed by node, every job change keyed by job) and waits for
 * the broker's acknowledgement, then checkpoints, then tells the {@link LedgerEventListener}s (housekeeping).
 *
 * <p>Nothing is lost: an event is checkpointed only after its records were acknowledged, and after a restart or a
 * failure of the peer or the broker reading resumes after the checkpoint. An event may be published twice (a crash
 * between acknowledgement and checkpoint): consumers are idempotent, keyed by {@code jobId#replica#attempt}.
 *
 * <p>Metrics: {@code gridledger.dispatch.lag} (event arrival → broker acknowledgement, by kind),
 * {@code gridledger.dispatch.records} (by topic), {@code gridledger.dispatch.failures}.
 */
@Singleton
@Requires(beans = {Ledger.class, JobDispatch.class})
@Requires(property = "gridledger.dispatch.enabled", notEquals = "false")
public final class EventDispatcher implements ApplicationEventListener<StartupEvent>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final DispatchSettings settings;
    private final String mspId;
    private final Ledger ledger;
    private final JobDispatch dispatch;
    private final CheckpointStore checkpoints;
    private final List<LedgerEventListener> listeners;
    private final MeterRegistry meters;
    private final AtomicReference<EventStream> stream = new AtomicReference<>();
    private final AtomicReference<DispatchStatus> status;
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean stopped;
    private volatile Thread reader;

    public EventDispatcher(DispatchSettings settings, Identities identities, Ledger ledger, JobDispatch dispatch,
                           CheckpointStore checkpoints, List<LedgerEventListener> listeners, MeterRegistry meters) {
        this.settings = settings;
        this.mspId = identities.mspId();
        this.ledger = ledger;
        this.dispatch = dispatch;
        this.checkpoints = checkpoints;
        this.listeners = listeners;
        this.meters = meters;
        this.status = new AtomicReference<>(new DispatchStatus(false, null, null, 0, null, 0, null));
        meters.gauge("gridledger.dispatch.checkpoint.block", this,
                d -> d.status().checkpoint() == null ? -1 : d.status().checkpoint().blockNumber());
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        start();
    }

    /** Starts reading on its own thread (once). */
    public synchronized void start() {
        if (reader != null || stopped) {
            return;
        }
        reader = new Thread(this::run, "ledger-event-dispatcher-" + mspId);
        reader.setDaemon(true);
        reader.start();
    }

    public DispatchStatus status() {
        return status.get();
    }

    private void run() {
        var checkpoint = checkpoints.load().orElse(EventCheckpoint.START);
        LOG.info("dispatching {}'s chaincode events from block {} (after tx {}) to {} and {}; checkpoint {}", mspId,
                checkpoint.blockNumber(), checkpoint.txId(), settings.assignmentsTopic(), settings.jobEventsTopic(), checkpoints);
        update(true, checkpoint, null);
        while (!stopped) {
            try (var events = ledger.events(settings.identity(), checkpoint)) {
                stream.set(events);
                if (stopped) {
                    break;
                }
                while (!stopped) {
                    var event = events.next();
                    checkpoint = dispatch(event);
                }
            } catch (RuntimeException e) {
                if (stopped) {
                    break;
                }
                failures.incrementAndGet();
                meters.counter("gridledger.dispatch.failures").increment();
                LOG.warn("dispatching stopped at block {} ({}); resuming from the checkpoint in {}", checkpoint.blockNumber(),
                        e.getMessage(), settings.reconnectBackoff());
                var current = status.get();
                status.set(new DispatchStatus(true, current.checkpoint(), current.lastEventAt(), current.lastLagMillis(),
                        null, failures.get(), e.getMessage()));
                if (!EventReaders.pause(settings.reconnectBackoff())) {
                    stopped = true;
                }
            } finally {
                stream.set(null);
            }
        }
        update(false, checkpoint, null);
        LOG.info("dispatcher of {} stopped at block {}", mspId, checkpoint.blockNumber());
    }

    private EventCheckpoint dispatch(ChaincodeEvent event) {
        long arrived = System.nanoTime();
        var arrivedAt = Instant.now();
        MDC.put("txId", event.txId());
        try {
            var messages = Dispatches.of(event, mspId);
            if (!messages.isEmpty()) {
                var current = status.get();
                status.set(new DispatchStatus(true, current.checkpoint(), current.lastEventAt(), current.lastLagMillis(),
                        arrivedAt, failures.get(), current.lastFailure()));
                dispatch.publish(messages);
                long lag = System.nanoTime() - arrived;
                boolean assignments = messages.stream().anyMatch(m -> m instanceof AssignmentMessage);
                Timer.builder("gridledger.dispatch.lag").description("Chaincode event arrival to broker acknowledgement")
                        .tag("kind", assignments ? "assignment" : "job-event").publishPercentileHistogram()
                        .register(meters).record(lag, TimeUnit.NANOSECONDS);
                for (var message : messages) {
                    meters.counter("gridledger.dispatch.records", "topic", message.topic().name().toLowerCase()).increment();
                    if (message instanceof AssignmentMessage a) {
                        LOG.info("dispatched {} to node {} (round {}, commit by {})", a.dispatchKey(), a.nodeId(), a.round(),
                                a.commitDeadline());
                    }
                }
            }
            var checkpoint = event.checkpoint();
            checkpoints.save(checkpoint);
            var previous = status.get();
            status.set(new DispatchStatus(true, checkpoint, arrivedAt,
                    messages.isEmpty() ? previous.lastLagMillis() : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrived),
                    null, failures.get(), previous.lastFailure()));
            for (var listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("{} failed on {} of block {}: {}", listener.getClass().getSimpleName(), event.name(),
                            event.blockNumber(), e.toString());
                }
            }
            return checkpoint;
        } finally {
            MDC.remove("txId");
        }
    }

    private void update(boolean running, EventCheckpoint checkpoint, String failure) {
        var current = status.get();
        status.set(new DispatchStatus(running, checkpoint, current.lastEventAt(), current.lastLagMillis(), null,
                failures.get(), failure == null ? current.lastFailure() : failure));
    }

    /**
     * Stops reading and waits for the reader: an event being published is finished and checkpointed first (a clean
     * stop repeats nothing after a restart); only a reader stuck longer than ten seconds is interrupted. After this no
     * record is published and no checkpoint written.
     */
    @PreDestroy
    @Override
    public void close() {
        stopped = true;
        EventReaders.stop(stream.get(), reader);
    }
}
