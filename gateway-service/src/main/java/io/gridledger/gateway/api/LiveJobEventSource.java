package io.gridledger.gateway.api;

import io.gridledger.gateway.agents.AgentProgress;
import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.EventCheckpoint;
import io.gridledger.ledger.EventStream;
import io.gridledger.ledger.Ledger;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live job changes of this gateway, one sequence for all event streams: the ledger's chaincode events (one reader,
 * started by the first subscriber at the ledger's height then; after a failure of the peer it reads on from the last
 * event it saw) and the steps provider agents report ({@link AgentProgress}: this org's agents over Kafka, other orgs'
 * over the node exchange), each appended as it arrives, so a job's stream has both in the order this gateway learnt
 * them. The last {@value #RETAINED} events are kept: a client that reconnects with {@code Last-Event-ID} resumes
 * without a gap. Agent steps that would repeat or regress a replica's step never get here.
 *
 * <p>A restart of the gateway loses what memory held, not the ledger: a {@code Last-Event-ID} this instance never sent
 * but whose ledger position is known ({@link StreamPositions}: a ledger event's id is its position, an agent step's was
 * recorded as it was sent) resumes with a catch-up read of the ledger's events from that position up to where this
 * instance's reader started, then the live ledger events; agent steps flow live meanwhile (they are progress, and a
 * catch-up read only ends at the next ledger event at or after that start).
 */
@Singleton
@Requires(beans = Ledger.class)
final class LiveJobEventSource implements JobEventSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveJobEventSource.class);
    static final int RETAINED = 2048;
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private record Sequenced(long seq, JobEvent event) {
    }

    private final Ledger ledger;
    private final String identity;
    private final Sinks.Many<Sequenced> sink = Sinks.many().replay().limit(RETAINED);
    /** Event id → sequence number, for the retained events. Guarded by {@code this}. */
    private final Map<String, Long> index = new LinkedHashMap<>(RETAINED * 2) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > RETAINED;
        }
    };
    private final AtomicReference<EventStream> stream = new AtomicReference<>();
    private final StreamPositions positions;
    private long sequence;
    private Thread reader;
    /** Where the reader started, and the position of the last ledger event appended. Guarded by {@code this}. */
    private EventCheckpoint readerFrom;
    private EventCheckpoint lastPosition;
    private volatile boolean closed;

    private final Disposable agentSteps;

    LiveJobEventSource(Ledger ledger, ApiSettings settings, AgentProgress progress) {
        this.ledger = ledger;
        this.identity = settings.eventsIdentity();
        this.positions = StreamPositions.open(Path.of(settings.dataDir()).resolve("event-positions"), RETAINED);
        this.agentSteps = progress.changes().subscribe(step -> append(JobEvent.agentStep(step)));
    }

    @Override
    public Publisher<JobEvent> events(@Nullable String lastEventId) {
        long after;
        EventCheckpoint catchUpFrom = null;
        EventCheckpoint catchUpUntil;
        synchronized (this) {
            start();
            catchUpUntil = readerFrom;
            if (lastEventId == null) {
                after = sequence;
            } else if (index.containsKey(lastEventId)) {
                after = index.get(lastEventId);
            } else {
                after = sequence;
                // Only when every event this instance appended is still retained: they all follow the catch-up.
                catchUpFrom = catchUpPosition(lastEventId).orElse(null);
            }
        }
        if (catchUpFrom == null) {
            return sink.asFlux().filter(s -> s.seq() > after).map(Sequenced::event);
        }
        LOG.info("event stream resumed after {} (sent before this gateway started): catching up on the ledger from block {}",
                lastEventId, catchUpFrom.blockNumber());
        var sinceStart = sink.asFlux().map(Sequenced::event);
        var ledgerEvents = Flux.concat(catchUp(catchUpFrom, catchUpUntil),
                sinceStart.filter(e -> !JobEvent.AGENT_STEP.equals(e.event())));
        return Flux.merge(ledgerEvents, sinceStart.filter(e -> JobEvent.AGENT_STEP.equals(e.event())));
    }

    @Override
    public synchronized boolean resumesFromLedger(String lastEventId) {
        start();
        return !index.containsKey(lastEventId) && catchUpPosition(lastEventId).isPresent();
    }

    /** Where a catch-up for an id this instance did not send starts, when every event it appended follows it. */
    private java.util.Optional<EventCheckpoint> catchUpPosition(String lastEventId) {
        var position = positions.positionOf(lastEventId);
        return position.isPresent() && readerFrom != null && position.get().blockNumber() < readerFrom.blockNumber()
                && sequence < RETAINED ? position : java.util.Optional.empty();
    }

    /** The ledger's events from {@code from} up to (not including) block {@code until}, read on a thread of their own. */
    private Flux<JobEvent> catchUp(EventCheckpoint from, EventCheckpoint until) {
        return Flux.<JobEvent>create(emitter -> {
            try (var events = ledger.events(identity, from)) {
                emitter.onDispose(events::close);
                while (!emitter.isCancelled() && events.hasNext()) {
                    var event = events.next();
                    if (event.blockNumber() >= until.blockNumber()) {
                        break;
                    }
                    for (var jobEvent : jobEvents(event)) {
                        emitter.next(jobEvent);
                    }
                }
                emitter.complete();
            } catch (RuntimeException e) {
                if (!emitter.isCancelled()) {
                    emitter.error(e);
                }
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Starts reading at the ledger's height now: every later event reaches the subscribers. */
    private void start() {
        if (reader != null || closed) {
            return;
        }
        var from = EventCheckpoint.at(ledger.chainHeight(identity));
        readerFrom = from;
        lastPosition = from;
        reader = new Thread(() -> read(from), "api-job-events");
        reader.setDaemon(true);
        reader.start();
        LOG.info("job event streams read the ledger's events from block {}", from.blockNumber());
    }

    private void read(EventCheckpoint from) {
        var checkpoint = from;
        while (!closed) {
            try (var events = ledger.events(identity, checkpoint)) {
                stream.set(events);
                while (!closed && events.hasNext()) {
                    var event = events.next();
                    publish(event);
                    checkpoint = event.checkpoint();
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("reading chaincode events failed ({}); resuming after block {} in {}", e.getMessage(),
                        checkpoint.blockNumber(), RECONNECT);
                try {
                    TimeUnit.MILLISECONDS.sleep(RECONNECT.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private synchronized void publish(ChaincodeEvent event) {
        jobEvents(event).forEach(this::append);
        lastPosition = event.checkpoint();
    }

    private static List<JobEvent> jobEvents(ChaincodeEvent event) {
        var payload = event.payload();
        var events = new ArrayList<JobEvent>();
        for (var jobId : payload.jobIds()) {
            var id = event.blockNumber() + ":" + event.txId() + ":" + jobId;
            events.add(JobEvent.ledger(id, jobId, event.name(), payload.statuses().get(jobId), null, payload.replica(),
                    event.txId(), event.blockNumber()));
        }
        return events;
    }

    private synchronized void append(JobEvent event) {
        if (closed) {
            return;
        }
        if (JobEvent.AGENT_STEP.equals(event.event()) && lastPosition != null) {
            positions.record(event.id(), lastPosition);
        }
        sequence++;
        index.put(event.id(), sequence);
        sink.emitNext(new Sequenced(sequence, event), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    /** Stops reading before the ledger's connection closes (shutdown comes before beans are destroyed). */
    @EventListener
    void onShutdown(ShutdownEvent event) {
        close();
    }

    @Override
    @PreDestroy
    public void close() {
        closed = true;
        agentSteps.dispose();
        var current = stream.get();
        if (current != null) {
            current.close();
        }
        sink.tryEmitComplete();
    }
}
