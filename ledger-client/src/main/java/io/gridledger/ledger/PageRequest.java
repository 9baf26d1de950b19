package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/** Which page of a listing to read: at most {@code pageSize} (1–200) items from {@code bookmark} ({@code ""}: the start). */
@Serdeable
public record PageRequest(int pageSize, String bookmark) {

    public PageRequest {
        if (pageSize < 1 || pageSize > 200) {
            throw new IllegalArgumentException("pageSize must be 1..200, got " + pageSize);
        }
        bookmark = bookmark == null ? "" : bookmark;
    }

    public static PageRequest first(int pageSize) {
        return new PageRequest(pageSize, "");
    }
}
