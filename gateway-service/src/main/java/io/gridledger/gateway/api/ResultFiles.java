package io.gridledger.gateway.api;

import io.gridledger.exchange.OutputManifest;
import io.gridledger.gateway.auth.Caller;
import io.gridledger.gateway.exchange.ExchangeRecords;
import io.gridledger.ledger.Job;
import io.gridledger.gateway.objects.ObjectStorage;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.StorageException;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.net.URI;
import java.util.List;

/**
 * The outputs of a partner's completed job, as the replica whose fingerprint the ledger agreed on uploaded them
 * through the node exchange: presigned GETs of the manifest, of one file, of a log. Only the job's owner; 409 before
 * the job completed, 404 {@code RESULT_NOT_STORED} when no outputs of the agreed fingerprint are stored.
 */
@Singleton
final class ResultFiles {

    /** Where to download one object of the result, and what it must hash to. */
    record Location(URI url, String sha256, String resultDigest, String fingerprint) {
    }

    private final JobService jobs;
    private final BeanProvider<ObjectStorage> storage;
    private final BeanProvider<ExchangeRecords> records;

    ResultFiles(JobService jobs, BeanProvider<ObjectStorage> storage, BeanProvider<ExchangeRecords> records) {
        this.jobs = jobs;
        this.storage = storage;
        this.records = records;
    }

    Location manifest(Caller caller, String jobId) {
        var outputs = outputs(caller, jobId);
        return locate(outputs, outputs.declaration().resultDigest());
    }

    Location file(Caller caller, String jobId, String path) {
        var problem = OutputManifest.pathProblem(path);
        if (problem.isPresent()) {
            throw ApiException.invalid("path", problem.get());
        }
        var outputs = outputs(caller, jobId);
        var file = outputs.declaration().files().stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, new ApiError("FILE_NOT_FOUND",
                        "the result of job " + jobId + " has no file " + path,
                        List.of(new ApiError.Detail("path", "not in the result's manifest"))), null));
        return locate(outputs, file.sha256());
    }

    Location log(Caller caller, String jobId, String name) {
        var outputs = outputs(caller, jobId);
        var log = outputs.declaration().logs().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, new ApiError("FILE_NOT_FOUND",
                        "the result of job " + jobId + " has no log " + name,
                        List.of(new ApiError.Detail("name", "stdout or stderr, if the replica uploaded it"))), null));
        return locate(outputs, log.sha256());
    }

    private record Outputs(Job job, ExchangeRecords.Declaration declaration) {
    }

    private Outputs outputs(Caller caller, String jobId) {
        var job = jobs.completed(caller, jobId);
        if (!storage.isPresent() || !records.isPresent()) {
            throw notStored(jobId);
        }
        try {
            var declaration = records.get().outputsOf(jobId, job.outcome().fingerprint()).orElseThrow(() -> notStored(jobId));
            return new Outputs(job, declaration);
        } catch (StorageException e) {
            throw JobInputs.unavailable(e);
        }
    }

    private Location locate(Outputs outputs, String sha256) {
        try {
            var url = storage.get().presignGet(Sha256.parse(sha256));
            return new Location(url.uri(), sha256, outputs.declaration().resultDigest(),
                    outputs.job().outcome().fingerprint());
        } catch (StorageException e) {
            throw JobInputs.unavailable(e);
        }
    }

    private static ApiException notStored(String jobId) {
        return new ApiException(HttpStatus.NOT_FOUND, ApiError.of("RESULT_NOT_STORED", "job " + jobId
                + " completed, but no outputs with its agreed fingerprint are stored in this org's object store"), null);
    }
}
