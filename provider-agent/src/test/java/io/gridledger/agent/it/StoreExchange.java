package io.gridledger.agent.it;

import io.gridledger.agent.JobKey;
import io.gridledger.agent.exchange.ExchangeException;
import io.gridledger.agent.exchange.JobExchange;
import io.gridledger.exchange.CompleteRequest;
import io.gridledger.exchange.InputsResponse;
import io.gridledger.exchange.OutputManifest;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.OutputsResponse;
import io.gridledger.exchange.ProgressRequest;
import io.gridledger.exchange.ReplicaResult;
import io.gridledger.ledger.Ledger;
import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.ObjectStore;
import io.gridledger.storage.PendingUpload;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.StorageException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client org's side of the node exchange for the agent's tests, until the gateway serves it (gateway-data): the
 * job's inputs from the ledger's spec, presigned GETs and PUTs of the real embedded S3 server, uploads promoted only
 * when their bytes hash to the declared digest, the manifest rebuilt from the declared files. What the agent does
 * over HTTP against it is what it does against the gateway; only the signing is not checked here.
 */
final class StoreExchange implements JobExchange {

    private final ObjectStore store;
    private final Ledger clientLedger;
    private final Map<JobKey, List<PendingUpload>> pending = new ConcurrentHashMap<>();
    final Map<JobKey, String> results = new ConcurrentHashMap<>();
    final List<String> progress = new CopyOnWriteArrayList<>();

    StoreExchange(ObjectStore store, Ledger clientLedger) {
        this.store = store;
        this.clientLedger = clientLedger;
    }

    @Override
    public InputsResponse inputs(String clientOrg, JobKey job) throws ExchangeException {
        var spec = clientLedger.getJob("User1", job.jobId()).job().spec();
        var grants = new ArrayList<InputsResponse.InputGrant>();
        try {
            for (var input : spec.inputs()) {
                var url = store.presignGet(ObjectKey.of(Sha256.parse(input.sha256())), Duration.ofMinutes(15));
                grants.add(new InputsResponse.InputGrant(input.name(), input.sha256(), input.sizeBytes(),
                        url.uri().toString(), url.expiresAt().toEpochMilli()));
            }
        } catch (StorageException e) {
            throw new ExchangeException("STORAGE_UNAVAILABLE", 503, e.getMessage(), null, e);
        }
        return new InputsResponse(job.jobId(), job.replica(), job.attempt(), grants);
    }

    @Override
    public OutputsResponse declareOutputs(String clientOrg, JobKey job, OutputsRequest outputs) throws ExchangeException {
        String digest = OutputManifest.digest(orEmpty(outputs.files()));
        if (!digest.equals(outputs.resultDigest())) {
            throw new ExchangeException("MANIFEST_MISMATCH", 422, "files hash to " + digest, null, null);
        }
        var uploads = new ArrayList<OutputsResponse.UploadGrant>();
        var staged = new ArrayList<PendingUpload>();
        var seen = new java.util.HashSet<String>();
        try {
            for (var object : allObjects(outputs)) {
                if (!seen.add(object.getKey()) || store.exists(ObjectKey.of(Sha256.parse(object.getKey())))) {
                    continue;
                }
                var put = store.presignPut(Sha256.parse(object.getKey()), Duration.ofMinutes(15));
                staged.add(put.upload());
                uploads.add(new OutputsResponse.UploadGrant(object.getKey(), object.getValue(), put.url().uri().toString(),
                        put.url().expiresAt().toEpochMilli()));
            }
        } catch (StorageException e) {
            throw new ExchangeException("STORAGE_UNAVAILABLE", 503, e.getMessage(), null, e);
        }
        pending.put(job, staged);
        return new OutputsResponse(job.jobId(), job.replica(), job.attempt(), digest, uploads, 0);
    }

    @Override
    public ReplicaResult complete(String clientOrg, JobKey job, CompleteRequest complete) throws ExchangeException {
        try {
            for (var upload : pending.getOrDefault(job, List.of())) {
                store.promote(upload);
            }
        } catch (StorageException e) {
            throw new ExchangeException("UPLOAD_MISMATCH", 422, e.getMessage(), null, e);
        }
        results.put(job, complete.resultDigest());
        return new ReplicaResult(job.jobId(), job.replica(), job.attempt(), "?", complete.resultDigest(), "?", 0, 0,
                System.currentTimeMillis());
    }

    @Override
    public void progress(String clientOrg, JobKey job, ProgressRequest request) {
        progress.add(job + " " + request.step());
    }

    /** An empty list may arrive as an absent one (serializers that omit empty values). */
    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static List<Map.Entry<String, Long>> allObjects(OutputsRequest outputs) {
        var objects = new ArrayList<Map.Entry<String, Long>>();
        orEmpty(outputs.files()).forEach(f -> objects.add(Map.entry(f.sha256(), f.sizeBytes())));
        orEmpty(outputs.logs()).forEach(l -> objects.add(Map.entry(l.sha256(), l.sizeBytes())));
        return objects;
    }
}
