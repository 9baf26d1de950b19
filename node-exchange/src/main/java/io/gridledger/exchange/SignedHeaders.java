package io.gridledger.exchange;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The headers that authenticate one request, and the payload they sign (for logs and tests).
 *
 * @param headers   name → value, in {@link NodeExchange#HEADERS} order; add every one to the request
 * @param canonical what was signed
 */
public record SignedHeaders(Map<String, String> headers, CanonicalRequest canonical) {

    public SignedHeaders {
        Objects.requireNonNull(canonical, "canonical");
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    }
}
