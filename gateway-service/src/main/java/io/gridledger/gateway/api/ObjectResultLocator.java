package io.gridledger.gateway.api;

import io.gridledger.gateway.exchange.ExchangeRecords;
import io.gridledger.ledger.Job;
import io.gridledger.gateway.objects.ObjectStorage;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.StorageException;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * With an object store: a completed job whose agreed outputs were uploaded through the node exchange is answered with
 * a redirect to its output manifest (presigned); otherwise with the ledger's result as before.
 */
@Singleton
@Requires(beans = {ObjectStorage.class, ExchangeRecords.class})
final class ObjectResultLocator implements ResultLocator {

    private final ObjectStorage storage;
    private final ExchangeRecords records;
    private final LedgerResultLocator ledger = new LedgerResultLocator();

    ObjectResultLocator(ObjectStorage storage, ExchangeRecords records) {
        this.storage = storage;
        this.records = records;
    }

    @Override
    public ResultDownload locate(Job job) {
        var inline = ledger.locate(job);
        try {
            var outputs = records.outputsOf(job.jobId(), job.outcome().fingerprint());
            if (outputs.isEmpty()) {
                return inline;
            }
            var digest = outputs.get().resultDigest();
            return new ResultDownload.Redirect(inline.result(), storage.presignGet(Sha256.parse(digest)).uri(), digest);
        } catch (StorageException e) {
            throw JobInputs.unavailable(e);
        }
    }
}
