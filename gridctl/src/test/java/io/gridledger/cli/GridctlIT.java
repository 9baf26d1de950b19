package io.gridledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gridctl's commands run in this JVM against Org1's real gateway over the local consortium (devnet, chaincode servers,
 * the embedded S3 server): no mocked server. Jobs are matched and completed by the test playing the providers through
 * the ledger and the node exchange ({@link ProviderNodes}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GridctlIT {

    static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    LocalGateway gateway;
    String alice;
    String bob;

    @TempDir
    Path dir;

    @BeforeAll
    void start() {
        gateway = LocalGateway.start();
        alice = gateway.partnerToken("gridctl-alice");
        bob = gateway.partnerToken("gridctl-bob");
        gateway.fund(1_000_000);
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    Run alice(String... args) {
        return Run.gridctl(gateway.env(alice), args);
    }

    /** A job spec file (YAML) whose offers only this test's pool serves, with one input read from a local file. */
    Path spec(String test, byte[] input) throws Exception {
        Files.write(dir.resolve(test + ".bin"), input);
        return Files.writeString(dir.resolve(test + ".yaml"), """
                # a replicated job: two replicas must agree
                image: registry.local/sim@sha256:%s
                command: [sh, -c, "wc -c /inputs/data.bin"]
                env: {MODE: fast}
                inputs:
                  - name: data.bin
                    path: %s.bin
                resources: {cpuMillis: 2000, memoryMiB: 1024, storageMiB: 100, arch: amd64, labels: {pool: %s}}
                maxUnitPrice: 20
                timeoutSeconds: 600
                verification: {mode: REPLICATED, replicas: 2, quorum: 2}
                deadline: %d
                """.formatted("a".repeat(64), test, pool(test), Instant.now().getEpochSecond() + 86_400));
    }

    static String pool(String test) {
        return test + "-" + RUN;
    }

    static byte[] random(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static JsonNode json(String text) throws Exception {
        return GatewayClient.JSON.readTree(text);
    }

    /** Submits {@code spec} and returns the job id gridctl printed. */
    String submit(Path spec, String... options) {
        var args = Stream.concat(Stream.of("jobs", "submit", spec.toString()), Stream.of(options)).toArray(String[]::new);
        var run = alice(args);
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).matches("(?s)j-\\S+  QUEUED\\s*");
        return run.out().split("\\s+")[0];
    }

    @Test
    void a_job_submitted_from_a_yaml_spec_with_an_uploaded_input_is_listed_shown_watched_and_cancelled() throws Exception {
        var jobId = submit(spec("lifecycle", random(300_000, 1)));
        var another = submit(spec("lifecycle-other", random(10, 6)));

        var listed = alice("jobs", "list", "--status", "queued", "--all", "--output", "json");
        assertThat(listed.exit()).as(listed.toString()).isZero();
        assertThat(json(listed.out()).get("items").findValuesAsText("jobId")).contains(jobId, another);
        var table = alice("jobs", "list", "--page-size", "1");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).startsWith("JOB ID").contains("QUEUED");
        assertThat(table.out()).as("two jobs, pages of one").containsPattern("more: --cursor \\S+");
        var cursor = table.out().lines().filter(l -> l.startsWith("more: --cursor ")).findFirst().orElseThrow().substring(15);
        var next = alice("jobs", "list", "--page-size", "1", "--cursor", cursor);
        assertThat(next.exit()).as(next.toString()).isZero();
        assertThat(next.out()).startsWith("JOB ID").doesNotContain(table.out().lines().skip(1).findFirst().orElseThrow());

        var shown = alice("jobs", "get", jobId);
        assertThat(shown.exit()).as(shown.toString()).isZero();
        assertThat(shown.out()).contains(jobId).contains("QUEUED").contains("registry.local/sim@sha256:");
        var shownJson = alice("jobs", "get", jobId, "-o", "json");
        assertThat(json(shownJson.out()).at("/job/spec/inputs/0/sizeBytes").asLong()).isEqualTo(300_000);

        var queued = alice("jobs", "watch", jobId, "--until", "QUEUED", "--timeout", "60s");
        assertThat(queued.exit()).as(queued.toString()).isZero();
        assertThat(queued.out()).contains("Snapshot").contains("[QUEUED]");

        ProviderNodes.offer("lifecycle", Map.of("pool", pool("lifecycle")));
        ProviderNodes.match(jobId);
        var running = alice("jobs", "watch", jobId, "--until", "RUNNING", "--timeout", "60s");
        assertThat(running.exit()).as(running.toString()).isZero();
        assertThat(running.out()).contains("[RUNNING");
        var timedOut = alice("jobs", "watch", jobId, "--timeout", "2s");
        assertThat(timedOut.exit()).as("nobody runs it: the watch times out").isEqualTo(ExitCodes.TIMEOUT);
        assertThat(timedOut.out()).contains("timed out: [RUNNING");

        var cancelled = alice("jobs", "cancel", jobId);
        assertThat(cancelled.exit()).as(cancelled.toString()).isZero();
        assertThat(cancelled.out()).contains(jobId + "  CANCELLED");
        var watched = alice("jobs", "watch", jobId, "--timeout", "60s", "-o", "json");
        assertThat(watched.exit()).as(watched.toString()).isEqualTo(ExitCodes.JOB_CANCELLED);
        assertThat(json(watched.out().lines().findFirst().orElseThrow()).get("event").asText()).isEqualTo("Snapshot");
        var noResult = alice("jobs", "results", jobId, "-d", dir.resolve("none").toString());
        assertThat(noResult.exit()).as(noResult.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(noResult.err()).contains("409 WRONG_STATE");
    }

    @Test
    void a_multipart_submission_sends_the_input_within_the_request() throws Exception {
        var jobId = submit(spec("multipart", random(70_000, 2)), "--multipart", "--idempotency-key", "mp-" + RUN);
        var again = alice("jobs", "submit", dir.resolve("multipart.yaml").toString(), "--multipart", "--idempotency-key", "mp-" + RUN);
        assertThat(again.out()).as("the same key answers the same job").startsWith(jobId);
        var shown = alice("jobs", "get", jobId, "-o", "json");
        assertThat(json(shown.out()).at("/job/spec/inputs/0/sha256").asText())
                .isEqualTo(ProviderNodes.sha256(random(70_000, 2)));
    }

    @Test
    void outputs_download_verified_and_a_tampered_store_is_a_digest_mismatch_that_keeps_nothing() throws Exception {
        var jobId = submit(spec("results", random(1000, 3)));
        ProviderNodes.offer("results", Map.of("pool", pool("results")));
        var assignments = ProviderNodes.match(jobId);
        var files = new LinkedHashMap<String, byte[]>();
        files.put("out/result.txt", ("result of " + jobId + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("out/data/table.csv", random(50_000, 4));
        var digest = ProviderNodes.complete(URI.create(gateway.url()), jobId, assignments, files);

        var watched = alice("jobs", "watch", jobId, "--timeout", "60s");
        assertThat(watched.exit()).as(watched.toString()).isZero();
        assertThat(watched.out()).contains("[COMPLETED");

        var target = dir.resolve("results-out");
        var downloaded = alice("jobs", "results", jobId, "-d", target.toString());
        assertThat(downloaded.exit()).as(downloaded.toString()).isZero();
        assertThat(downloaded.out()).contains("verified 2 file(s) against result digest " + digest);
        assertThat(Files.readAllBytes(target.resolve("out/result.txt"))).isEqualTo(files.get("out/result.txt"));
        assertThat(Files.readAllBytes(target.resolve("out/data/table.csv"))).isEqualTo(files.get("out/data/table.csv"));
        var asJson = alice("jobs", "results", jobId, "-d", dir.resolve("again").toString(), "-o", "json");
        assertThat(json(asJson.out()).get("resultDigest").asText()).isEqualTo(digest);

        var stored = storedCopy(files.get("out/data/table.csv"));
        var honest = Files.readAllBytes(stored);
        var corrupted = honest.clone();
        corrupted[corrupted.length / 2] ^= 1;
        Files.write(stored, corrupted);
        try {
            var tampered = dir.resolve("tampered");
            var mismatch = alice("jobs", "results", jobId, "-d", tampered.toString());
            assertThat(mismatch.exit()).as(mismatch.toString()).isEqualTo(ExitCodes.DIGEST);
            assertThat(mismatch.err()).contains("DIGEST_MISMATCH").contains("out/data/table.csv").contains("nothing was kept");
            assertThat(tampered).doesNotExist();
            try (var left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.contains(".gridctl-"));
            }
        } finally {
            Files.write(stored, honest);
        }

        var manifest = storedCopy(manifestOf(files));
        var honestManifest = Files.readAllBytes(manifest);
        var forged = new String(honestManifest, StandardCharsets.UTF_8).replace("out/result.txt", "out/result.TXT")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(manifest, forged);
        try {
            var mismatch = alice("jobs", "results", jobId, "-d", dir.resolve("forged").toString());
            assertThat(mismatch.exit()).as(mismatch.toString()).isEqualTo(ExitCodes.DIGEST);
            assertThat(mismatch.err()).contains("X-Result-Digest says " + digest);
        } finally {
            Files.write(manifest, honestManifest);
        }
    }

    /** The embedded store's file holding exactly {@code bytes} (objects are content-addressed, stored as they are). */
    Path storedCopy(byte[] bytes) throws Exception {
        try (var paths = Files.walk(gateway.objectsDir())) {
            var matches = paths.filter(Files::isRegularFile).filter(p -> {
                try {
                    return Files.size(p) == bytes.length && java.util.Arrays.equals(Files.readAllBytes(p), bytes);
                } catch (java.io.IOException e) {
                    return false;
                }
            }).toList();
            assertThat(matches).as("the store's copy").isNotEmpty();
            return matches.get(0);
        }
    }

    static byte[] manifestOf(Map<String, byte[]> files) {
        return io.gridledger.exchange.OutputManifest.encode(files.entrySet().stream().map(f ->
                new io.gridledger.exchange.OutputsRequest.OutputFile(f.getKey(), ProviderNodes.sha256(f.getValue()),
                        f.getValue().length)).toList());
    }

    @Test
    void a_spec_the_api_refuses_prints_its_error_code_and_fields_and_exits_5() throws Exception {
        var bad = Files.writeString(dir.resolve("bad.json"), """
                {"image": "registry.local/sim@sha256:%s", "command": ["true"],
                 "resources": {"cpuMillis": -1, "memoryMiB": 1024, "storageMiB": 100, "arch": "amd64"},
                 "maxUnitPrice": 20, "timeoutSeconds": 600, "verification": {"mode": "REPLICATED", "replicas": 2, "quorum": 2},
                 "deadline": %d, "colour": "blue"}""".formatted("a".repeat(64), Instant.now().getEpochSecond() + 86_400));
        var refused = alice("jobs", "submit", bad.toString());
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err()).startsWith("error: 400 INVALID_ARGUMENT: ");
        assertThat(refused.out()).isEmpty();
        var asJson = alice("jobs", "submit", bad.toString(), "--output", "json");
        assertThat(asJson.exit()).isEqualTo(ExitCodes.INVALID);
        var body = json(asJson.err());
        assertThat(body.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(body.get("details").findValuesAsText("field")).isNotEmpty();

        var malformed = Files.writeString(dir.resolve("malformed.yaml"), "image: [\n");
        var local = alice("jobs", "submit", malformed.toString());
        assertThat(local.exit()).as(local.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(local.err()).contains("INVALID_SPEC").contains("malformed.yaml");
    }

    @Test
    void a_wrong_token_exits_3_and_another_partners_job_exits_4() throws Exception {
        var wrong = Run.gridctl(gateway.env("glt_not-a-token"), "jobs", "list");
        assertThat(wrong.exit()).as(wrong.toString()).isEqualTo(ExitCodes.AUTH);
        assertThat(wrong.err()).contains("401 UNAUTHENTICATED").contains("check the token");

        var jobId = submit(spec("isolation", random(100, 5)));
        for (var command : new String[][]{{"jobs", "get", jobId}, {"jobs", "cancel", jobId}, {"jobs", "watch", jobId},
                {"jobs", "results", jobId}}) {
            var foreign = Run.gridctl(gateway.env(bob), command);
            assertThat(foreign.exit()).as(String.join(" ", command) + "\n" + foreign).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(foreign.err()).contains("404");
        }
        assertThat(alice("jobs", "get", jobId).exit()).as("still the owner's").isZero();
    }

    @Test
    void the_wrapper_script_runs_the_shaded_jar_as_its_own_process() throws Exception {
        var wrapper = Path.of("gridctl").toAbsolutePath();
        assertThat(wrapper).as("run from the module folder, after package").isExecutable();
        var listed = process(gateway.env(alice), wrapper.toString(), "jobs", "list", "-o", "json");
        assertThat(listed.exit()).as(listed.toString()).isZero();
        assertThat(json(listed.out()).has("items")).isTrue();
        var refused = process(gateway.env("glt_not-a-token"), wrapper.toString(), "params");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.AUTH);
        assertThat(refused.err()).contains("401 UNAUTHENTICATED");
    }

    static Run process(Map<String, String> env, String... command) throws Exception {
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        var process = builder.start();
        var out = new java.util.concurrent.CompletableFuture<String>();
        var reader = new Thread(() -> {
            try {
                out.complete(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                out.completeExceptionally(e);
            }
        });
        reader.start();
        var err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out.get(60, java.util.concurrent.TimeUnit.SECONDS), err);
    }

    @Test
    void the_market_the_account_reputation_and_the_parameters_are_readable() throws Exception {
        ProviderNodes.offer("market", Map.of("pool", pool("market")));
        var offers = alice("offers", "list", "--class", "amd64/cpu", "--output", "json", "--page-size", "200");
        assertThat(offers.exit()).as(offers.toString()).isZero();
        assertThat(json(offers.out()).get("items").findValuesAsText("offerId")).contains("offer-market-Org2MSP");
        var offersTable = alice("offers", "list", "--node", "Org2MSP/node1@org2.gridledger.example");
        assertThat(offersTable.exit()).as(offersTable.toString()).isZero();
        assertThat(offersTable.out()).startsWith("OFFER ID").contains("offer-market-Org2MSP");

        var balance = alice("accounts", "balance");
        assertThat(balance.exit()).as(balance.toString()).isZero();
        assertThat(balance.out()).contains("accountId: Org1MSP/").contains("balance: ");

        var params = alice("params", "-o", "json");
        assertThat(params.exit()).as(params.toString()).isZero();
        assertThat(json(params.out()).get("members").findValuesAsText("")).isNotNull();
        assertThat(params.out()).contains("Org1MSP");

        var org = alice("reputation", "--org", "Org2MSP");
        assertThat(org.exit()).as(org.toString()).isZero();
        assertThat(org.out()).contains("subject: ").contains("score: ");
        var node = alice("reputation", "--node", "Org2MSP/node1@org2.gridledger.example");
        assertThat(node.exit()).as(node.toString()).isZero();
    }
}
