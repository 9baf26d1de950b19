package io.gridledger.gateway.api;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/** An idempotent request's answer, first given or replayed, as an HTTP response. */
final class Responses {

    private Responses() {
    }

    static MutableHttpResponse<String> of(IdempotencyRecord.StoredResponse stored) {
        MutableHttpResponse<String> response = HttpResponse.<String>status(HttpStatus.valueOf(stored.status()))
                .body(stored.body()).contentType(MediaType.APPLICATION_JSON_TYPE);
        if (stored.location() != null) {
            response.header(HttpHeaders.LOCATION, stored.location());
        }
        return response;
    }
}
