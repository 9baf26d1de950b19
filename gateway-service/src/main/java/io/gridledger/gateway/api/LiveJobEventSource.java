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

import java.time.Duration;
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
    private long sequence;
    private Thread reader;
    private volatile boolean closed;

    private final Disposable agentSteps;

    LiveJobEventSource(Ledger ledger, ApiSettings settings, AgentProgress progress) {
        this.ledger = ledger;
        this.identity = settings.eventsIdentity();
        this.agentSteps = progress.changes().subscribe(step -> append(JobEvent.agentStep(step)));
    }

    @Override
    public Publisher<JobEvent> events(@Nullable String lastEventId) {
        long after;
        synchronized (this) {
            start();
            after = lastEventId == null ? sequence : index.getOrDefault(lastEventId, sequence);
        }
        return sink.asFlux().filter(s -> s.seq() > after).map(Sequenced::event);
    }

    /** Starts reading at the ledger's height now: every later event reaches the subscribers. */
    private void start() {
        if (reader != null || closed) {
            return;
        }
        var from = EventCheckpoint.at(ledger.chainHeight(identity));
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
        var payload = event.payload();
        for (var jobId : payload.jobIds()) {
            var id = event.blockNumber() + ":" + event.txId() + ":" + jobId;
            append(JobEvent.ledger(id, jobId, event.name(), payload.statuses().get(jobId), null, payload.replica(),
                    event.txId(), event.blockNumber()));
        }
    }

    private synchronized void append(JobEvent event) {
        if (closed) {
            return;
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
