package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One page of a listing and the bookmark that continues it ({@code ""} on the last page).
 *
 * <pre>{@code
 * var request = PageRequest.first(100);
 * Page<Job> page;
 * do {
 *     page = ledger.listJobsByStatus(identity, Job.Status.QUEUED, request);
 *     ...
 *     request = page.next(request);
 * } while (page.hasMore());
 * }</pre>
 */
@Serdeable
public record Page<T>(List<T> items, String bookmark) {

    public boolean hasMore() {
        return bookmark != null && !bookmark.isEmpty();
    }

    /** The request for the page after this one. */
    public PageRequest next(PageRequest current) {
        return new PageRequest(current.pageSize(), bookmark == null ? "" : bookmark);
    }
}
