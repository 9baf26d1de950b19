package io.gridledger.gateway.exchange;

import io.gridledger.exchange.OutputsRequest;
import io.gridledger.exchange.ReplicaResult;
import io.gridledger.gateway.objects.ObjectStorage;
import io.gridledger.storage.RecordName;
import io.gridledger.storage.StorageException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * What the node exchange keeps in this org's object store, as records (not on the ledger: nothing there is secret,
 * but presigned upload tokens and output lists are bulky and private to the client org):
 * <ul>
 *   <li>{@code exchange/<job>/<replica>-<attempt>.json}: a replica's declared outputs and the staging tokens of their
 *       uploads ({@link Declaration});</li>
 *   <li>{@code results/<job>/replicas/<replica>-<attempt>.json}: its recorded result ({@link ReplicaResult});</li>
 *   <li>{@code results/<job>/fingerprints/<fingerprint>.json}: the replica whose outputs have that fingerprint, which
 *       is how the partner's result download finds the outputs of the fingerprint the ledger agreed on.</li>
 * </ul>
 */
public final class ExchangeRecords {

    /** A replica's declared outputs: the request as sent, and a staging token per object to upload (by SHA-256). */
    @Serdeable
    public record Declaration(String jobId, int replica, int attempt, String nodeId, OutputsRequest outputs,
                              Map<String, String> uploads) {

        /** No uploads (every object already stored) is an empty map, which the stored JSON leaves out. */
        public Declaration {
            uploads = uploads == null ? Map.of() : uploads;
        }

        /** The declared files (empty lists are left out of the stored JSON). */
        public java.util.List<OutputsRequest.OutputFile> files() {
            return outputs.files() == null ? java.util.List.of() : outputs.files();
        }

        public java.util.List<OutputsRequest.LogFile> logs() {
            return outputs.logs() == null ? java.util.List.of() : outputs.logs();
        }

        public String resultDigest() {
            return outputs.resultDigest();
        }
    }

    /** Where the outputs of one fingerprint of a job are: the replica and attempt that recorded them. */
    @Serdeable
    public record FingerprintIndex(String jobId, String fingerprint, int replica, int attempt, String resultDigest) {
    }

    private final ObjectStorage storage;
    private final JsonMapper json;

    public ExchangeRecords(ObjectStorage storage, JsonMapper json) {
        this.storage = storage;
        this.json = json;
    }

    Optional<Declaration> declaration(String jobId, int replica, int attempt) throws StorageException {
        return read(declarationName(jobId, replica, attempt), Declaration.class);
    }

    void putDeclaration(Declaration declaration) throws StorageException {
        write(declarationName(declaration.jobId(), declaration.replica(), declaration.attempt()), declaration);
    }

    Optional<ReplicaResult> result(String jobId, int replica, int attempt) throws StorageException {
        return read(RecordName.of("results/" + segment(jobId) + "/replicas/" + replica + "-" + attempt + ".json"),
                ReplicaResult.class);
    }

    void putResult(ReplicaResult result) throws StorageException {
        write(RecordName.of("results/" + segment(result.jobId()) + "/replicas/" + result.replica() + "-"
                + result.attempt() + ".json"), result);
        write(RecordName.of("results/" + segment(result.jobId()) + "/fingerprints/" + result.fingerprint() + ".json"),
                new FingerprintIndex(result.jobId(), result.fingerprint(), result.replica(), result.attempt(),
                        result.resultDigest()));
    }

    /** The declaration of the replica whose recorded outputs have {@code fingerprint}, if any. */
    public Optional<Declaration> outputsOf(String jobId, @Nullable String fingerprint) throws StorageException {
        if (fingerprint == null || !fingerprint.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        var index = read(RecordName.of("results/" + segment(jobId) + "/fingerprints/" + fingerprint + ".json"),
                FingerprintIndex.class);
        if (index.isEmpty()) {
            return Optional.empty();
        }
        return declaration(jobId, index.get().replica(), index.get().attempt())
                .filter(d -> d.resultDigest().equals(index.get().resultDigest()));
    }

    private static RecordName declarationName(String jobId, int replica, int attempt) {
        return RecordName.of("exchange/" + segment(jobId) + "/" + replica + "-" + attempt + ".json");
    }

    /** A job id as one record path segment (letters, digits, {@code . _ % -}). */
    private static String segment(String value) {
        var encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("~", "%7E");
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    private <T> Optional<T> read(RecordName name, Class<T> type) throws StorageException {
        var bytes = storage.store().getRecord(name);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(json.readValue(bytes.get(), Argument.of(type)));
        } catch (IOException e) {
            throw new UncheckedIOException("the record " + name.path() + " is unreadable", e);
        }
    }

    private void write(RecordName name, Object value) throws StorageException {
        try {
            storage.store().putRecord(name, json.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
