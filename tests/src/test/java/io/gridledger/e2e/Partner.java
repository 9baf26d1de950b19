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
        return spec(script, replicas, quorum, timeoutSeconds, inputs, 64, Instant.now().getEpochSecond() + 3_600);
    }

    /**
     * A spec with {@code memoryMiB} per replica and the given deadline (epoch s). A deadline just past the timeout and
     * the commit grace leaves no time for a second attempt: a replica that does not commit fails the job at its first
     * commit deadline instead of being reassigned.
     */
    String spec(String script, int replicas, int quorum, long timeoutSeconds, String inputs, int memoryMiB, long deadline) {
        var verification = replicas == 1 ? "{mode: SINGLE, replicas: 1, quorum: 1}"
                : "{mode: REPLICATED, replicas: " + replicas + ", quorum: " + quorum + "}";
        return """
                image: %s
                command: [sh, -c, %s]
                %sresources: {cpuMillis: 500, memoryMiB: %d, storageMiB: 16, arch: amd64}
                maxUnitPrice: 2000
                timeoutSeconds: %d
                verification: %s
                deadline: %d
                """.formatted(image(), quote(script), inputs, memoryMiB, timeoutSeconds, verification, deadline);
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

    /** {@code GET /api/v1/jobs/{id}/replicas}: each attempt's ledger state and its agent's latest step. */
    JsonNode replicas(String jobId) {
        var answer = client().get("/jobs/" + jobId + "/replicas");
        return answer.has("replicas") ? answer.get("replicas") : answer;
    }

    /** Waits until the job has ended (COMPLETED, FAILED or CANCELLED) and returns its {@code job}. */
    JsonNode awaitEnded(String jobId, java.time.Duration within) {
        var ended = new java.util.concurrent.atomic.AtomicReference<JsonNode>();
        org.awaitility.Awaitility.await("job " + jobId + " ended").atMost(within).pollInterval(java.time.Duration.ofSeconds(1))
                .ignoreExceptions().until(() -> {
                    var job = job(jobId).path("job");
                    ended.set(job);
                    return java.util.Set.of("COMPLETED", "FAILED", "CANCELLED").contains(job.path("status").asText());
                });
        return ended.get();
    }

    /** The partner's REST API by hand, with this partner's token. */
    RawApi raw() {
        return new RawApi(url, token);
    }

    GatewayClient client() {
        return new GatewayClient(URI.create(url), token);
    }

    private static String quote(String script) {
        return '"' + script.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
