package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A page of a listing (offers, accounts); {@code nextCursor} continues it, absent on the last page. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ListingPage<T>(List<T> items, @Nullable String nextCursor) {
}
