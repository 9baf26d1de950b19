package io.gridledger.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridledger.consortium.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and abuse on the whole stack: malformed specs, oversized bodies, another partner's job ids, forged and
 * missing tokens, and jobs that try to reach the network or exhaust memory or processes. Each gets a clear error (a
 * JSON body naming what was wrong, a gridctl exit code scripts can rely on) or a contained failure with its escrow
 * refunded, and the system goes on running a normal job to completion.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbuseIT {

    private final LocalStack stack = E2eStack.shared();
    private final Partner alice = Partner.of("Org1MSP");
    private final Partner bob = Partner.of("Org2MSP");

    @Test
    @Order(1)
    void malformed_spec_files_are_refused_by_gridctl_with_exit_5_naming_the_problem() throws Exception {
        var dir = alice.home.resolve("specs/malformed");
        Files.createDirectories(dir);

        var notYaml = write(dir, "broken.yaml", "image: [unclosed\ncommand: {sh\n");
        var broken = alice.gridctl("jobs", "submit", notYaml.toString());
        assertThat(broken.exit()).as("%s", broken).isEqualTo(5);
        assertThat(broken.err()).as("%s", broken).contains("INVALID_SPEC").contains("broken.yaml").doesNotContain("\tat ");

        var negative = write(dir, "negative.yaml", alice.spec("true", 1, 1, 60, "").replace("cpuMillis: 500", "cpuMillis: -5"));
        var refused = alice.gridctl("jobs", "submit", negative.toString());
        assertThat(refused.exit()).as("%s", refused).isEqualTo(5);
        assertThat(refused.err()).as("%s", refused).contains("400").contains("resources.cpuMillis");

        var missingInput = write(dir, "missing-input.yaml", alice.spec("cat /input/gone.txt", 1, 1, 60,
                "inputs:\n  - name: gone.txt\n    path: ./gone.txt\n"));
        var missing = alice.gridctl("jobs", "submit", missingInput.toString());
        assertThat(missing.exit()).as("%s", missing).isEqualTo(5);
        assertThat(missing.err()).as("%s", missing).contains("gone.txt");

        var notAMapping = write(dir, "list.yaml", "- image\n- command\n");
        var list = alice.gridctl("jobs", "submit", notAMapping.toString());
        assertThat(list.exit()).as("%s", list).isEqualTo(5);
        assertThat(list.err()).as("%s", list).contains("INVALID_SPEC");
    }

    @Test
    @Order(2)
    void invalid_json_posted_to_the_api_is_a_400_json_body_naming_the_field() {
        int jobsBefore = jobCount(alice);
        var api = alice.raw();

        var malformed = api.post("/jobs", "{\"image\": \"x\", ");
        assertThat(malformed.status()).as("%s", malformed).isEqualTo(400);
        assertError(malformed, "INVALID_ARGUMENT");

        var unknown = api.post("/jobs", validJson().replace("{\"image\"", "{\"colour\":\"blue\",\"image\""));
        assertThat(unknown.status()).as("%s", unknown).isEqualTo(400);
        assertThat(fields(unknown)).as("%s", unknown).contains("colour");

        var negative = api.post("/jobs", validJson().replace("\"memoryMiB\":64", "\"memoryMiB\":-1"));
        assertThat(negative.status()).as("%s", negative).isIn(400, 422);
        assertThat(fields(negative)).as("%s", negative).contains("resources.memoryMiB");

        var unpinned = api.post("/jobs", validJson().replace(alice.image(), "busybox:latest"));
        assertThat(unpinned.status()).as("%s", unpinned).isIn(400, 422);
        assertThat(fields(unpinned)).as("%s", unpinned).contains("image");

        var noImage = api.post("/jobs", validJson().replace("\"image\":\"" + alice.image() + "\",", ""));
        assertThat(noImage.status()).as("%s", noImage).isIn(400, 422);
        assertThat(fields(noImage)).as("%s", noImage).contains("image");

        assertThat(jobCount(alice)).as("jobs of the partner: none was submitted").isEqualTo(jobsBefore);
    }

    @Test
    @Order(3)
    void oversized_uploads_and_bodies_are_refused_with_413() throws Exception {
        int jobsBefore = jobCount(alice);
        var api = alice.raw();

        var hugeInput = api.post("/uploads", "{\"sha256\":\"" + "cd".repeat(32) + "\",\"sizeBytes\":" + (4L << 30) + "}");
        assertThat(hugeInput.status()).as("%s", hugeInput).isEqualTo(413);
        assertError(hugeInput, "INPUT_TOO_LARGE");
        assertThat(fields(hugeInput)).contains("sizeBytes");

        var padding = " ".repeat(70 * 1024);
        var hugeBody = api.post("/jobs", validJson().replace("{\"image\"", "{" + padding + "\"image\""));
        assertThat(hugeBody.status()).as("%s", hugeBody).isEqualTo(413);
        assertError(hugeBody, "PAYLOAD_TOO_LARGE");

        var dir = alice.home.resolve("specs/oversized");
        Files.createDirectories(dir);
        var bigSpec = write(dir, "big.yaml", alice.spec("echo " + "x".repeat(3_000), 1, 1, 60, "")
                + "env:\n" + envLines(20, 4_000));
        var big = alice.gridctl("jobs", "submit", bigSpec.toString());
        assertThat(big.exit()).as("%s", big).isEqualTo(5);
        assertThat(big.err()).as("%s", big).contains("413");

        assertThat(jobCount(alice)).as("jobs of the partner: none was submitted").isEqualTo(jobsBefore);
    }

    @Test
    @Order(4)
    void another_partners_job_ids_are_not_found_nothing_leaks_and_nothing_changes() throws Exception {
        var jobId = alice.submitScript("sleep 10; echo alice-secret > /output/secret.txt", 1, 1, 60);
        var before = alice.job(jobId).path("job");
        var api = bob.raw();
        var answers = new ArrayList<RawApi.Answer>();
        for (var path : new String[]{"/jobs/" + jobId, "/jobs/" + jobId + "/replicas", "/jobs/" + jobId + "/result",
                "/jobs/" + jobId + "/result/manifest", "/jobs/" + jobId + "/result/files/secret.txt",
                "/jobs/" + jobId + "/result/logs/stdout"}) {
            answers.add(api.get(path));
        }
        answers.add(api.post("/jobs/" + jobId + "/cancel", "{}"));
        for (var answer : answers) {
            assertThat(answer.status()).as("%s", answer).isIn(403, 404);
            assertThat(answer.contentType()).as("%s", answer).startsWith("application/json");
            assertThat(answer.body()).as("%s", answer).doesNotContain("alice-secret").doesNotContain("User1@org1")
                    .doesNotContain("escrow").doesNotContain("Location");
        }
        var listed = bob.client().get("/jobs?pageSize=200").path("items");
        listed.forEach(j -> assertThat(j.path("jobId").asText()).isNotEqualTo(jobId));

        for (var args : new String[][]{{"jobs", "get", jobId}, {"jobs", "cancel", jobId},
                {"jobs", "results", jobId, "-d", bob.home.resolve("stolen").toString()}}) {
            var result = bob.gridctl(args);
            assertThat(result.exit()).as("gridctl %s\n%s", String.join(" ", args), result).isIn(3, 4);
            assertThat(result.out() + result.err()).doesNotContain("alice-secret");
        }
        assertThat(bob.home.resolve("stolen")).doesNotExist();

        // The job is untouched: not cancelled, and it completes for its owner with the same escrow.
        var job = alice.awaitEnded(jobId, Duration.ofMinutes(2));
        assertThat(job.path("status").asText()).as("%s", job).isEqualTo("COMPLETED");
        assertThat(job.path("escrowed").asLong()).isEqualTo(before.path("escrowed").asLong());
        var out = alice.home.resolve("results/" + jobId);
        assertThat(alice.results(jobId, out).exit()).isZero();
        assertThat(Files.readString(out.resolve("secret.txt"))).isEqualTo("alice-secret\n");
        var afterwards = bob.raw().get("/jobs/" + jobId + "/result/files/secret.txt");
        assertThat(afterwards.status()).as("%s", afterwards).isIn(403, 404);
    }

    @Test
    @Order(5)
    void forged_or_missing_tokens_get_401_with_a_json_error_body() {
        int jobsBefore = jobCount(alice);
        var gateway = alice.url;
        var realToken = alice.token;
        var forgedJwt = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64("{\"sub\":\"mallory\",\"scope\":\"jobs:read jobs:write admin\","
                + "\"gridledger_identity\":\"Admin\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}") + "." + b64("not a signature");
        var unsigned = b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"mallory\",\"scope\":\"admin\",\"gridledger_identity\":\"Admin\"}") + ".";
        var tampered = realToken.substring(0, realToken.length() - 1) + (realToken.endsWith("A") ? "B" : "A");
        var tokens = new java.util.LinkedHashMap<String, String>();
        tokens.put("no token", null);
        tokens.put("a made-up API token", "glt_" + "Q".repeat(43));
        tokens.put("the partner's token with one character changed", tampered);
        tokens.put("a JWT with a forged signature", forgedJwt);
        tokens.put("an unsigned JWT", unsigned);
        tokens.put("Org2's partner token at Org1's gateway", bob.token);
        for (var entry : tokens.entrySet()) {
            var api = new RawApi(gateway, entry.getValue());
            for (var answer : new RawApi.Answer[]{api.get("/jobs"), api.get("/account"), api.post("/jobs", validJson()),
                    api.post("/admin/deposits", "{\"account\":\"x\",\"amount\":1000000}")}) {
                assertThat(answer.status()).as("%s: %s", entry.getKey(), answer).isEqualTo(401);
                assertError(answer, "UNAUTHENTICATED");
            }
        }
        var gridctl = Gridctl.run(gateway, "glt_" + "Q".repeat(43), alice.home, "jobs", "list");
        assertThat(gridctl.exit()).as("%s", gridctl).isEqualTo(3);
        assertThat(gridctl.err()).as("%s", gridctl).contains("401").doesNotContain("\tat ");
        var none = Gridctl.run(gateway, null, alice.home, "jobs", "list");
        assertThat(none.exit()).as("%s", none).isIn(2, 3);

        assertThat(jobCount(alice)).as("jobs of the partner: none was submitted").isEqualTo(jobsBefore);
    }

    @Test
    @Order(6)
    void a_job_that_tries_to_reach_the_network_finds_none() throws Exception {
        var host = dockerHostAddress();
        int gatewayPort = URI.create(alice.url).getPort();
        var script = "wget -q -T 3 -O /dev/null http://" + host + ":" + gatewayPort + "/health 2>/dev/null"
                + " && echo reachable > /output/host || echo unreachable > /output/host;"
                + " wget -q -T 3 -O /dev/null http://127.0.0.1:" + gatewayPort + "/health 2>/dev/null"
                + " && echo reachable > /output/loopback || echo unreachable > /output/loopback;"
                + " wget -q -T 3 -O /dev/null http://1.1.1.1/ 2>/dev/null"
                + " && echo reachable > /output/internet || echo unreachable > /output/internet;"
                + " nslookup example.com >/dev/null 2>&1 && echo resolved > /output/dns || echo unresolved > /output/dns;"
                + " ls /sys/class/net | tr '\\n' ' ' > /output/interfaces; true";
        var jobId = alice.submitScript(script, 1, 1, 60);
        var job = alice.awaitEnded(jobId, Duration.ofMinutes(2));
        assertThat(job.path("status").asText()).as("%s", job).isEqualTo("COMPLETED");
        var out = alice.home.resolve("results/" + jobId);
        assertThat(alice.results(jobId, out).exit()).isZero();
        assertThat(Files.readString(out.resolve("host"))).as("the gateway on the engine's host address %s", host).isEqualTo("unreachable\n");
        assertThat(Files.readString(out.resolve("loopback"))).isEqualTo("unreachable\n");
        assertThat(Files.readString(out.resolve("internet"))).isEqualTo("unreachable\n");
        assertThat(Files.readString(out.resolve("dns"))).isEqualTo("unresolved\n");
        assertThat(Files.readString(out.resolve("interfaces"))).isEqualTo("lo ");
    }

    @Test
    @Order(7)
    void a_job_that_exhausts_its_memory_fails_out_of_memory_and_its_escrow_is_refunded() {
        long balanceBefore = balance(alice);
        // 64 MiB in a shell variable against a 16 MiB limit; a deadline that leaves no time for a second attempt.
        var spec = alice.spec("x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x} > /output/length", 1, 1, 20, "", 16,
                Instant.now().getEpochSecond() + 20 + 10 + 15);
        var jobId = alice.submit(spec, Map.of());
        var job = alice.awaitEnded(jobId, Duration.ofMinutes(3));

        assertThat(job.path("status").asText()).as("%s", job).isEqualTo("FAILED");
        var steps = alice.replicas(jobId);
        assertThat(steps).as("%s", steps).allSatisfy(r -> {
            assertThat(r.path("attempt").asInt()).isEqualTo(1);
            assertThat(r.path("agent").path("step").asText()).isEqualTo("failed");
            assertThat(r.path("agent").path("reason").asText()).isEqualTo("OOM");
        });
        assertRefundedInFull(job);
        assertThat(balance(alice)).as("the partner's balance: the whole escrow came back").isEqualTo(balanceBefore);
    }

    @Test
    @Order(8)
    void a_fork_bomb_is_contained_by_the_pids_limit_and_every_agent_keeps_serving() {
        long balanceBefore = balance(alice);
        var bomb = alice.submit(alice.spec("f() { f | f & }; f; sleep 60", 1, 1, 15, "", 64,
                Instant.now().getEpochSecond() + 15 + 10 + 15), Map.of());
        await("the fork bomb running").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> alice.replicas(bomb).get(0).path("agent").path("step").asText().equals("running"));

        // Meanwhile a replicated job runs on every org's agent, the bomb's included.
        var normal = alice.submitScript("echo still serving > /output/ok.txt", 3, 2, 60);
        var completed = alice.awaitEnded(normal, Duration.ofMinutes(2));
        assertThat(completed.path("status").asText()).as("%s", completed).isEqualTo("COMPLETED");

        var job = alice.awaitEnded(bomb, Duration.ofMinutes(3));
        assertThat(job.path("status").asText()).as("%s", job).isEqualTo("FAILED");
        var replica = alice.replicas(bomb).get(0);
        assertThat(replica.path("attempt").asInt()).as("one attempt only: %s", replica).isEqualTo(1);
        assertThat(replica.path("agent").path("step").asText()).as("%s", replica).isEqualTo("failed");
        assertThat(replica.path("agent").path("reason").asText()).as("%s", replica).isIn("TIMEOUT", "NON_ZERO_EXIT");
        assertRefundedInFull(job);
        var health = agentHealth(replica.path("nodeOrg").asText());
        assertThat(health).as("the bomb's agent's /health").contains("\"status\":\"UP\"");
        long paidForNormal = HappyPathsIT.sum(completed.path("outcome").path("payments")) + completed.path("outcome").path("fee").asLong();
        assertThat(balance(alice)).isEqualTo(balanceBefore - paidForNormal);
    }

    @Test
    @Order(100)
    void after_all_of_it_a_normal_job_still_completes_and_downloads_verified() throws Exception {
        var jobId = alice.submitScript("echo business as usual > /output/ok.txt", 1, 1, 60);
        assertThat(alice.watch(jobId)).isZero();
        var out = alice.home.resolve("results/" + jobId);
        var results = alice.results(jobId, out);
        assertThat(results.exit()).as("%s", results).isZero();
        assertThat(Files.readString(out.resolve("ok.txt"))).isEqualTo("business as usual\n");
    }

    @AfterAll
    static void no_credit_is_created_or_lost_and_every_job_ended() {
        Audit.assertEveryJobTerminal(E2eStack.shared());
        Audit.assertCreditsConserved(E2eStack.shared());
    }

    // --- helpers ---

    private String validJson() {
        return ("{\"image\":\"" + alice.image() + "\",\"command\":[\"sh\",\"-c\",\"true\"],"
                + "\"resources\":{\"cpuMillis\":500,\"memoryMiB\":64,\"storageMiB\":16,\"arch\":\"amd64\"},"
                + "\"maxUnitPrice\":2000,\"timeoutSeconds\":60,\"verification\":{\"mode\":\"SINGLE\",\"replicas\":1,\"quorum\":1},"
                + "\"deadline\":" + (Instant.now().getEpochSecond() + 3_600) + "}");
    }

    private static void assertError(RawApi.Answer answer, String code) {
        assertThat(answer.contentType()).as("%s", answer).startsWith("application/json");
        var body = answer.json();
        assertThat(body.path("code").asText()).as("%s", answer).isEqualTo(code);
        assertThat(body.path("message").asText()).as("%s", answer).isNotBlank();
        assertThat(answer.body()).as("%s", answer).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private static java.util.List<String> fields(RawApi.Answer answer) {
        assertThat(answer.contentType()).as("%s", answer).startsWith("application/json");
        var fields = new ArrayList<String>();
        answer.json().path("details").forEach(d -> fields.add(d.path("field").asText()));
        return fields;
    }

    private static void assertRefundedInFull(JsonNode job) {
        var outcome = job.path("outcome");
        assertThat(HappyPathsIT.sum(outcome.path("payments"))).as("payments of %s", job).isZero();
        assertThat(outcome.path("fee").asLong()).as("fee of %s", job).isZero();
        assertThat(outcome.path("refund").asLong()).as("refund of %s", job).isEqualTo(job.path("escrowed").asLong()).isPositive();
    }

    private static int jobCount(Partner partner) {
        return partner.client().get("/jobs?pageSize=200").path("items").size();
    }

    private static long balance(Partner partner) {
        return partner.client().get("/account").path("balance").asLong();
    }

    private String agentHealth(String org) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + stack.settings().agentPort(org) + "/health")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError("the agent of " + org + " does not answer /health: " + e, e);
        }
    }

    /** The host as containers on the engine's default bridge see it (docker0), where a gateway would be reached. */
    private static String dockerHostAddress() throws Exception {
        var docker0 = NetworkInterface.getByName("docker0");
        if (docker0 != null) {
            for (var address : Collections.list(docker0.getInetAddresses())) {
                if (address instanceof java.net.Inet4Address) {
                    return address.getHostAddress();
                }
            }
        }
        return "172.17.0.1";
    }

    private static String envLines(int count, int length) {
        var lines = new StringBuilder();
        for (int i = 0; i < count; i++) {
            lines.append("  PAD_").append(i).append(": ").append("y".repeat(length)).append('\n');
        }
        return lines.toString();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Path write(Path dir, String name, String content) throws Exception {
        var file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
