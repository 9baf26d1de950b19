package io.gridledger.gateway.api;

import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.EventCheckpoint;
import io.gridledger.ledger.EventStream;
import io.gridledger.ledger.Ledger;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One reader of the ledger's chaincode events for all event streams of this gateway, started by the first subscriber
 * at the ledger's height then, and fanned out to every subscriber. The last {@value #RETAINED} job events are kept, so
 * a client that reconnects with {@code Last-Event-ID} resumes without a gap. After a failure of the peer it reads on
 * from the last event it saw.
 */
@Singleton
final class LedgerJobEventSource implements JobEventSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerJobEventSource.class);
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

    LedgerJobEventSource(Ledger ledger, ApiSettings settings) {
        this.ledger = ledger;
        this.identity = settings.eventsIdentity();
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
            var job = new JobEvent(id, jobId, event.name(), payload.statuses().get(jobId), null, payload.replica(),
                    event.txId(), event.blockNumber());
            sequence++;
            index.put(id, sequence);
            sink.emitNext(new Sequenced(sequence, job), Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
        }
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
        var current = stream.get();
        if (current != null) {
            current.close();
        }
        sink.tryEmitComplete();
    }
}
