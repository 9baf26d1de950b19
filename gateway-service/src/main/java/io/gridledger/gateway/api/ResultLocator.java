package io.gridledger.gateway.api;

import io.gridledger.ledger.Job;

/**
 * Where a completed job's result can be fetched. The object-storage step replaces {@link LedgerResultLocator} with
 * one that presigns a download URL of the outputs ({@link ResultDownload.Redirect}).
 */
public interface ResultLocator {

    /** For a {@code COMPLETED} job. */
    ResultDownload locate(Job job);
}
