package io.gridledger.gateway.api;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

import java.util.List;

/**
 * Refuses a body the server would read whole (JSON and anything but a streamed multipart submission) when its
 * {@code Content-Length} is over {@code gridledger.api.max-body-bytes} (64 KiB): a {@code 413 PAYLOAD_TOO_LARGE}
 * before a byte of it is read. Streamed bodies (multipart job submissions) are bounded by
 * {@code micronaut.server.max-request-size} instead; {@code micronaut.server.max-request-buffer-size} is only the
 * window of a streamed body not yet consumed, so it is larger than one socket read.
 */
@ServerFilter("/api/v1/**")
final class BodySizeFilter implements Ordered {

    private final long maxBodyBytes;

    BodySizeFilter(@Value("${gridledger.api.max-body-bytes:65536}") long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @RequestFilter
    void limit(HttpRequest<?> request) {
        long length = request.getContentLength();
        // The node exchange reads its signed bodies itself, up to the buffer size (1 MiB).
        if (length <= maxBodyBytes || request.getPath().startsWith(io.gridledger.exchange.NodeExchange.BASE_PATH + "/")) {
            return;
        }
        boolean streamed = request.getContentType().map(t -> t.matches(MediaType.MULTIPART_FORM_DATA_TYPE)).orElse(false);
        if (!streamed) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, new ApiError("PAYLOAD_TOO_LARGE",
                    "the request body is too large: at most " + maxBodyBytes + " bytes",
                    List.of(new ApiError.Detail(null, "at most " + maxBodyBytes + " bytes"))), null);
        }
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
