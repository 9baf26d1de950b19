package io.gridledger.gateway.api;

import io.gridledger.ledger.JobSpec;
import io.gridledger.gateway.objects.ObjectStorage;
import io.gridledger.storage.DigestMismatchException;
import io.gridledger.storage.ObjectInfo;
import io.gridledger.storage.PutOptions;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.SizeMismatchException;
import io.gridledger.storage.StorageException;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job's inputs in this org's object store: announced uploads (a presigned PUT URL per object), inputs streamed in a
 * multipart submission, and the check before a submission that every input the spec names is stored with that digest
 * and size — promoting a partner's staged upload of it on the way.
 */
@Singleton
public final class JobInputs {

    static final Duration STORAGE_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(JobInputs.class);

    private final BeanProvider<ObjectStorage> storage;

    JobInputs(BeanProvider<ObjectStorage> storage) {
        this.storage = storage;
    }

    /** A presigned PUT for the announced object, or {@code stored} if it is stored already. */
    UploadGrant requestUpload(UploadRequest request) {
        var sha256 = Sha256.parse(request.sha256());
        long max = storage().maxObjectBytes();
        if (request.sizeBytes() > max) {
            throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, new ApiError("INPUT_TOO_LARGE",
                    "sizeBytes: at most " + max + " bytes per input",
                    List.of(new ApiError.Detail("sizeBytes", "at most " + max + " bytes per input"))), null);
        }
        try {
            var stored = storage().stat(sha256);
            if (stored.isPresent()) {
                requireSize(stored.get(), request.sizeBytes(), "sizeBytes");
                return new UploadGrant(request.sha256(), request.sizeBytes(), true, null, null, null);
            }
            var presigned = storage().presignPut(sha256);
            return new UploadGrant(request.sha256(), request.sizeBytes(), false, "PUT", presigned.url().uri().toString(),
                    presigned.url().expiresAt().toEpochMilli());
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    /**
     * Checks that every input is stored with the spec's digest and size, promoting verified staged uploads; a 422
     * {@code INPUTS_NOT_STORED} names each one that is not ({@code inputs[i]}).
     */
    void verify(List<JobSpec.InputRef> inputs) {
        if (inputs == null || inputs.isEmpty()) {
            return;
        }
        var problems = new ArrayList<ApiError.Detail>();
        for (int i = 0; i < inputs.size(); i++) {
            var input = inputs.get(i);
            Optional<ObjectInfo> stored;
            try {
                stored = storage().findOrPromote(Sha256.parse(input.sha256()));
            } catch (StorageException e) {
                throw unavailable(e);
            }
            if (stored.isEmpty()) {
                problems.add(new ApiError.Detail("inputs[" + i + "]", "no object with SHA-256 " + input.sha256()
                        + " is stored: upload it first (POST /api/v1/uploads, then PUT the bytes) or send it as the "
                        + "part \"" + input.name() + "\" of a multipart submission"));
            } else if (stored.get().size() != input.sizeBytes()) {
                problems.add(new ApiError.Detail("inputs[" + i + "]", "the object with SHA-256 " + input.sha256()
                        + " is " + stored.get().size() + " bytes, not " + input.sizeBytes()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, new ApiError("INPUTS_NOT_STORED",
                    problems.size() + " input(s) of the job are not in this org's object store as the spec names them",
                    problems), null);
        }
    }

    /**
     * Streams one input's bytes to the store, checked against what the spec says of it where it says it: a mismatch
     * is a 422 {@code INPUT_MISMATCH} and stores nothing.
     *
     * @param field the spec's input, {@code inputs[i]}
     */
    ObjectInfo store(InputStream content, String field, Optional<Sha256> sha256, Optional<Long> sizeBytes)
            throws IOException {
        var options = PutOptions.DEFAULT;
        if (sha256.isPresent()) {
            options = options.expectingSha256(sha256.get());
        }
        if (sizeBytes.isPresent()) {
            options = options.expectingSize(sizeBytes.get());
        }
        try {
            return storage().store().put(content, options);
        } catch (DigestMismatchException e) {
            throw mismatch(field + ".sha256", "the part's bytes hash to " + e.actual().hex());
        } catch (SizeMismatchException e) {
            throw mismatch(field + ".sizeBytes", "the part is " + e.actualSize() + " bytes");
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    private static void requireSize(ObjectInfo stored, long sizeBytes, String field) {
        if (stored.size() != sizeBytes) {
            throw mismatch(field, "the stored object with that SHA-256 is " + stored.size() + " bytes");
        }
    }

    private static ApiException mismatch(String field, String reason) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, new ApiError("INPUT_MISMATCH", field + ": " + reason,
                List.of(new ApiError.Detail(field, reason))), null);
    }

    private ObjectStorage storage() {
        if (!storage.isPresent()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("OBJECT_STORE_NOT_CONFIGURED",
                    "this gateway has no object store (gridledger.objects.*): jobs with inputs cannot run"), null);
        }
        return storage.get();
    }

    /**
     * The store failing, as a partner is told it: 503 with Retry-After and no detail of this org's infrastructure (the
     * store's address, bucket and the client's exception stay in the gateway's log, one WARN line).
     */
    static ApiException unavailable(StorageException e) {
        LOG.warn("the object store failed: {}", e.getMessage());
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("STORAGE_UNAVAILABLE",
                "this org's object store is unavailable; retry later"), STORAGE_RETRY_AFTER);
    }
}
