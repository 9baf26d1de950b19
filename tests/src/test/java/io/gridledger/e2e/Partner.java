package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridledger.cli.GatewayClient;
import io.gridledger.consortium.LocalStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An org's demo partner of the e2e stack, through gridctl (submit, watch, results) and the REST API (reads), the only
 * ways the suite drives the stack.
 */
final class Partner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SPECS = new AtomicInteger();

    final String mspId;
    final String url;
    final String token;
    final Path home;
    private final LocalStack stack;

    Partner(LocalStack stack, String mspId) {
        this.stack = stack;
        this.mspId = mspId;
        this.url = stack.gatewayUrl(mspId);
        this.token = stack.partnerToken(mspId);
        this.home = E2eStack.repository().resolve("tests/target/e2e-partners/" + mspId);
    }

    static Partner of(String mspId) {
        return new Partner(E2eStack.shared(), mspId);
    }

    /** The local job image, pinned ({@code gridledger/busybox@sha256:…}). */
    String image() {
        return stack.settings().jobImage();
    }

    /** A spec file of {@code yaml} (and the named input files beside it), submitted with gridctl; the job id. */
    String submit(String yaml, Map<String, String> inputFiles) {
        var dir = home.resolve("specs/" + SPECS.incrementAndGet());
        try {
            Files.createDirectories(dir);
            for (var file : inputFiles.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
            Files.writeString(dir.resolve("job.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var result = gridctl("jobs", "submit", dir.resolve("job.yaml").toString(), "-o", "json");
        assertThat(result.exit()).as("gridctl jobs submit\n%s", result).isZero();
        try {
            return JSON.readTree(result.out()).path("jobId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A job of {@code replicas}/{@code quorum} running {@code script} in the job image, deadline in an hour. */
    String submitScript(String script, int replicas, int quorum, long timeoutSeconds) {
        return submit(spec(script, replicas, quorum, timeoutSeconds, ""), Map.of());
    }

    String spec(String script, int replicas, int quorum, long timeoutSeconds, String inputs) {
        var verification = replicas == 1 ? "{mode: SINGLE, replicas: 1, quorum: 1}"
                : "{mode: REPLICATED, replicas: " + replicas + ", quorum: " + quorum + "}";
        return """
                image: %s
                command: [sh, -c, %s]
                %sresources: {cpuMillis: 500, memoryMiB: 64, storageMiB: 16, arch: amd64}
                maxUnitPrice: 2000
                timeoutSeconds: %d
                verification: %s
                deadline: %d
                """.formatted(image(), quote(script), inputs, timeoutSeconds, verification,
                Instant.now().getEpochSecond() + 3_600);
    }

    /** {@code gridctl jobs watch}: its exit code (0 completed, 8 failed, 9 cancelled). */
    int watch(String jobId) {
        return gridctl("jobs", "watch", jobId).exit();
    }

    /** {@code gridctl jobs results} into {@code dir}: downloads and verifies every output against the result digest. */
    Gridctl.Result results(String jobId, Path dir) {
        return gridctl("jobs", "results", jobId, "-d", dir.toString());
    }

    Gridctl.Result gridctl(String... args) {
        return Gridctl.run(url, token, home, args);
    }

    /** {@code GET /api/v1/jobs/{id}} as this partner: {@code {job: {status, escrowed, outcome…}, replicas: […], escrow}}. */
    JsonNode job(String jobId) {
        return client().get("/jobs/" + jobId);
    }

    GatewayClient client() {
        return new GatewayClient(URI.create(url), token);
    }

    private static String quote(String script) {
        return '"' + script.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
