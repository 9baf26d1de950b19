package io.gridledger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A job spec file as a partner writes it: the API's job submission ({@code POST /api/v1/jobs}) in YAML or JSON, where
 * an input may name a local file by {@code path} (relative to the spec file) instead of — or besides — its
 * {@code sha256} and {@code sizeBytes}. gridctl hashes those files, fills the two fields in and uploads the bytes.
 *
 * <pre>
 * image: registry.local/sim@sha256:…
 * command: [sh, -c, "wc -c /inputs/data.bin"]
 * inputs:
 *   - name: data.bin
 *     path: ./data.bin          # uploaded by gridctl
 * resources: {cpuMillis: 1000, memoryMiB: 512, storageMiB: 100, arch: amd64}
 * maxUnitPrice: 20
 * timeoutSeconds: 600
 * verification: {mode: REPLICATED, replicas: 3, quorum: 2}
 * deadline: 1796434000
 * </pre>
 *
 * @param spec  the submission as the API takes it (no {@code path} fields left)
 * @param files the local files to upload, in the order of {@code inputs}
 */
public record JobSpecFile(ObjectNode spec, List<LocalInput> files) {

    /** An input read from a local file. */
    public record LocalInput(String name, Path path, String sha256, long sizeBytes) {
    }

    public JobSpecFile {
        Objects.requireNonNull(spec, "spec");
        files = List.copyOf(files);
    }

    /** Reads and checks {@code file}; any problem is an exit-5 failure naming the file and the field. */
    public static JobSpecFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw invalid(file + ": no such file");
        }
        var name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        var mapper = name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        JsonNode tree;
        try {
            tree = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            var location = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw invalid(file + ": not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + location + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw invalid(file + ": " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw invalid(file + ": a job spec is a mapping (image, command, inputs, resources, …)");
        }
        var spec = (ObjectNode) tree;
        var base = file.toAbsolutePath().getParent();
        var files = new ArrayList<LocalInput>();
        var inputs = spec.get("inputs");
        if (inputs != null && !inputs.isNull()) {
            if (!inputs.isArray()) {
                throw invalid(file + ": inputs: must be a list");
            }
            for (int i = 0; i < inputs.size(); i++) {
                var field = "inputs[" + i + "]";
                if (!inputs.get(i).isObject()) {
                    throw invalid(file + ": " + field + ": must be a mapping of name and path (or sha256, sizeBytes)");
                }
                var input = (ObjectNode) inputs.get(i);
                if (!input.hasNonNull("path")) {
                    continue;
                }
                if (!input.hasNonNull("name")) {
                    throw invalid(file + ": " + field + ".name: required");
                }
                var local = base.resolve(input.get("path").asText()).normalize();
                if (!Files.isRegularFile(local)) {
                    throw invalid(file + ": " + field + ".path: no such file: " + local);
                }
                var digest = sha256(local);
                if (input.hasNonNull("sha256") && !input.get("sha256").asText().equalsIgnoreCase(digest.sha256())) {
                    throw invalid(file + ": " + field + ".sha256: " + local + " has SHA-256 " + digest.sha256());
                }
                if (input.hasNonNull("sizeBytes") && input.get("sizeBytes").asLong() != digest.size()) {
                    throw invalid(file + ": " + field + ".sizeBytes: " + local + " has " + digest.size() + " bytes");
                }
                input.remove("path");
                input.put("sha256", digest.sha256());
                input.put("sizeBytes", digest.size());
                files.add(new LocalInput(input.get("name").asText(), local, digest.sha256(), digest.size()));
            }
        }
        return new JobSpecFile(spec, files);
    }

    /** A file's SHA-256 (lowercase hex) and size, read once. */
    public record Digest(String sha256, long size) {
    }

    public static Digest sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            var sha = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
                size += n;
            }
            return new Digest(HexFormat.of().formatHex(sha.digest()), size);
        } catch (IOException e) {
            throw invalid(file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiFailure invalid(String message) {
        return ApiFailure.local("INVALID_SPEC", message, ExitCodes.INVALID);
    }
}
