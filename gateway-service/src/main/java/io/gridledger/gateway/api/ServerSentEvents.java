package io.gridledger.gateway.api;

import io.micronaut.http.sse.Event;
import reactor.core.publisher.Flux;

import java.time.Duration;

/**
 * Job events as Server-Sent Events: named by the event, with the event id for {@code Last-Event-ID} (none on the
 * {@code Snapshot}, which is not a point to resume from), and a {@code : keep-alive} comment line every
 * {@code keepAlive} while the stream lasts.
 */
final class ServerSentEvents {

    private static final Object END = new Object();

    private ServerSentEvents() {
    }

    static Flux<Event<Object>> of(Flux<JobEvent> events, Duration keepAlive) {
        return withKeepAlive(events.map(ServerSentEvents::event), keepAlive);
    }

    /** {@code events}, with a {@code : keep-alive} comment every {@code keepAlive}, ending when they end. */
    static Flux<Event<Object>> withKeepAlive(Flux<Event<Object>> events, Duration keepAlive) {
        // A tick the writer has no demand for is dropped, not an overflow error that would end the stream.
        Flux<Object> ticks = Flux.interval(keepAlive, keepAlive).onBackpressureDrop()
                .map(i -> (Object) Event.of("").comment("keep-alive"));
        Flux<Object> items = events.<Object>map(e -> e).concatWith(Flux.just(END));
        return Flux.merge(items, ticks).takeUntil(item -> item == END).filter(item -> item != END)
                .map(item -> {
                    @SuppressWarnings("unchecked")
                    var event = (Event<Object>) item;
                    return event;
                });
    }

    private static Event<Object> event(JobEvent job) {
        var sse = Event.<Object>of(job).name(job.event());
        return "Snapshot".equals(job.event()) ? sse : sse.id(job.id());
    }
}
