package io.gridledger.agent.it;

import io.gridledger.exchange.OutputManifest;
import io.gridledger.exchange.OutputsRequest;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Offer;
import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.Sha256;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.gridledger.agent.it.AgentStack.CLIENT_ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The provider agent as a provider runs it (its jar, its own JVM) against the real stack ({@link AgentStack}): jobs
 * submitted by Org1's client reach the agent through the contract's matching, Org1's gateway dispatch and Kafka; the
 * agent runs them in dockerd, gets inputs and hands back outputs through Org1's gateway's node exchange (its object
 * store a bucket of the embedded S3 server), commits and reveals with its node identity, and Org1's gateway settles
 * them; Org1's partner then downloads the agreed result from that gateway.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {

    private static final String ORG2 = "Org2MSP";
    private static AgentStack stack;
    private static AgentStack.AgentProcess agent;
    /** Labels only Org1's agent offers: single-replica jobs go to it. */
    private static final Map<String, String> ORG1_ONLY = Map.of("pool", "agent-it-" + AgentStack.RUN, "site", "org1");

    @BeforeAll
    static void startAgent() {
        stack = AgentStack.shared();
        var config = stack.agentConfig(CLIENT_ORG, "org1-node1", ORG1_ONLY)
                .with("gridledger.agent.max-output-bytes", Long.toString(4L << 20));
        agent = stack.startAgent(config);
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            agent.process().stop();
        }
    }

    @Test
    @Order(1)
    void runs_an_assigned_job_whose_revealed_digest_matches_one_computed_independently() throws Exception {
        byte[] words = "grid ledger runs containers\n".getBytes(StandardCharsets.UTF_8);
        var input = stack.store.put(words);
        String jobId = id("digest");
        var spec = AgentStack.job(jobId, "tr a-z A-Z < /input/words.txt > /output/upper.txt && mkdir -p /output/sub"
                        + " && printf %s \"$GREETING\" > /output/sub/greeting.txt && echo ran",
                64, 30, List.of(new JobSpec.InputRef("words.txt", input.key().sha256().hex(), words.length)), ORG1_ONLY, 1);
        AgentStack.client().submitJob("User1", spec);

        var view = awaitStatus(jobId, Job.Status.COMPLETED, Duration.ofSeconds(90));

        byte[] upper = "GRID LEDGER RUNS CONTAINERS\n".getBytes(StandardCharsets.UTF_8);
        byte[] greeting = "hello".getBytes(StandardCharsets.UTF_8);
        String digest = OutputManifest.digest(List.of(new OutputsRequest.OutputFile("upper.txt", sha256(upper), upper.length),
                new OutputsRequest.OutputFile("sub/greeting.txt", sha256(greeting), greeting.length)));
        var replica = view.replicas().get(0);
        assertThat(replica.assignment().nodeId()).isEqualTo(nodeId(CLIENT_ORG));
        assertThat(replica.reveal().fingerprint()).as("the revealed fingerprint").isEqualTo(OutputManifest.fingerprint(jobId, digest));
        assertThat(stack.store.exists(ObjectKey.of(Sha256.parse(digest)))).as("manifest recorded by Org1's gateway").isTrue();
        assertThat(stack.store.exists(ObjectKey.of(Sha256.parse(sha256(upper))))).as("output uploaded").isTrue();
        assertThat(stack.store.exists(ObjectKey.of(Sha256.parse(sha256("ran\n".getBytes(StandardCharsets.UTF_8))))))
                .as("stdout uploaded").isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.steps(CLIENT_ORG, jobId))
                .containsSubsequence("accepted", "pulling", "running", "uploading", "committed", "revealed"));
        assertThat(containers(jobId)).as("containers left").isEmpty();
        assertThat(starts(jobId, Instant.now().minusSeconds(300))).as("container starts").isEqualTo(1);
        assertThat(stack.heartbeats(CLIENT_ORG, nodeId(CLIENT_ORG))).as("heartbeats")
                .anySatisfy(h -> assertThat(h).contains("\"state\":\"online\"").contains("\"capacity\":3"));
        assertThat(agent.metrics()).contains("gridledger_agent_container_start_seconds")
                .contains("gridledger_agent_jobs_running");
    }

    @Test
    @Order(2)
    void forged_assignment_records_are_refused_by_the_ledger_before_anything_runs() throws Exception {
        String done = id("digest"); // completed by the first test
        String node = nodeId(CLIENT_ORG);
        long deadline = Instant.now().plusSeconds(600).getEpochSecond();
        var forged = List.of(
                // a completed job's replica under a new attempt
                "{\"jobId\":\"" + done + "\",\"replica\":0,\"attempt\":2,\"round\":0,\"nodeId\":\"" + node
                        + "\",\"offerId\":\"x\",\"commitDeadline\":" + deadline + ",\"sharedOrg\":false}",
                // a job that does not exist
                "{\"jobId\":\"" + id("nosuchjob") + "\",\"replica\":0,\"attempt\":1,\"round\":0,\"nodeId\":\""
                        + node + "\",\"offerId\":\"x\",\"commitDeadline\":" + deadline + ",\"sharedOrg\":false}");
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(Map.<String, Object>of(
                "bootstrap.servers", stack.gateway(CLIENT_ORG).kafka()),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            for (String value : forged) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("gridledger.assignments", node, value))
                        .get();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.process().logged("job=" + done + "#0#2 refused: job "
                + done + " is COMPLETED") && agent.process().logged("job=" + id("nosuchjob") + "#0#1 refused"));
        assertThat(stack.steps(CLIENT_ORG, id("nosuchjob"))).isEmpty();
        assertThat(stack.statuses(CLIENT_ORG, done)).noneSatisfy(s -> assertThat(s).contains("\"attempt\":2"));
        assertThat(containers(done)).isEmpty();
    }

    @Test
    @Order(3)
    void a_job_over_its_memory_limit_ends_out_of_memory() {
        String jobId = id("oom");
        AgentStack.client().submitJob("User1", AgentStack.job(jobId,
                "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}", 16, 10, null, ORG1_ONLY, 1));
        awaitFailure(jobId, "OOM");
        assertThat(containers(jobId)).isEmpty();
        assertThat(AgentStack.client().getJob("User1", jobId).replicas().get(0).committed()).isFalse();
    }

    @Test
    @Order(4)
    void a_job_past_its_timeout_is_killed() {
        String jobId = id("timeout");
        long started = System.nanoTime();
        AgentStack.client().submitJob("User1", AgentStack.job(jobId, "sleep 60", 64, 2, null, ORG1_ONLY, 1));
        awaitFailure(jobId, "TIMEOUT");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));
        assertThat(containers(jobId)).isEmpty();
    }

    @Test
    @Order(5)
    void the_container_has_no_network_and_a_read_only_root() throws Exception {
        String host = hostAddress();
        String jobId = id("confined");
        // Each probe writes what it found; the digest of the outputs says which it was.
        String script = "(echo probe > /etc/probe) 2>/dev/null && echo rw > /output/root || echo ro > /output/root;"
                + " wget -q -T 3 -O /dev/null http://" + host + ":" + stack.gateway(CLIENT_ORG).port() + "/health 2>/dev/null"
                + " && echo reachable > /output/net || echo unreachable > /output/net;"
                + " ls /sys/class/net | tr '\\n' ' ' > /output/interfaces; id -u > /output/uid; true";
        AgentStack.client().submitJob("User1", AgentStack.job(jobId, script, 64, 30, null, ORG1_ONLY, 1));
        var view = awaitStatus(jobId, Job.Status.COMPLETED, Duration.ofSeconds(90));

        String digest = OutputManifest.digest(List.of(file("root", "ro\n"), file("net", "unreachable\n"),
                file("interfaces", "lo "), file("uid", "65534\n")));
        assertThat(view.replicas().get(0).reveal().fingerprint())
                .as("outputs: ro root, network unreachable, only lo, uid 65534")
                .isEqualTo(OutputManifest.fingerprint(jobId, digest));
    }

    @Test
    @Order(6)
    void outputs_over_the_limit_are_refused() {
        String jobId = id("large");
        AgentStack.client().submitJob("User1", AgentStack.job(jobId, "head -c 8388608 /dev/zero > /output/big",
                64, 10, null, ORG1_ONLY, 1));
        awaitFailure(jobId, "OUTPUT_TOO_LARGE");
        assertThat(AgentStack.client().getJob("User1", jobId).replicas().get(0).committed()).isFalse();
    }

    @Test
    @Order(7)
    void a_node_that_is_not_assigned_cannot_commit_nor_fetch_the_inputs() {
        String jobId = id("unassigned");
        AgentStack.client().submitJob("User1", AgentStack.job(jobId, "sleep 5; echo done > /output/done",
                64, 30, null, ORG1_ONLY, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> !AgentStack.client().getJob("User1", jobId).replicas().isEmpty());
        var org2 = AgentStack.client(ORG2);
        assertThatThrownBy(() -> org2.commitResult("node1", jobId, 0, "ab".repeat(32)))
                .isInstanceOf(ContractRefusal.class);
        // Org2's node, signing with its own identity, asks Org1's gateway's node exchange for the replica's inputs.
        var identity = io.gridledger.ledger.fabric.FileIdentities.load(ORG2,
                stack.consortium.org(ORG2).usersDir()).identity("node1");
        var signer = io.gridledger.exchange.NodeRequestSigner.create(ORG2,
                io.gridledger.agent.NodeIdentity.of(identity).certificatePem(), identity.privateKey());
        var exchange = new io.gridledger.agent.exchange.http.SignedGatewayExchange(signer,
                org -> java.util.Optional.of(stack.gateway(CLIENT_ORG).url()), io.micronaut.serde.ObjectMapper.getDefault(),
                java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(10));
        assertThatThrownBy(() -> exchange.inputs(CLIENT_ORG, new io.gridledger.agent.JobKey(jobId, 0, 1)))
                .isInstanceOfSatisfying(io.gridledger.agent.exchange.ExchangeException.class, e -> {
                    assertThat(e.code()).isEqualTo("NOT_ASSIGNED");
                    assertThat(e.status()).isEqualTo(403);
                });
        assertThat(AgentStack.client().getJob("User1", jobId).replicas().get(0).committed()).isFalse();
        awaitStatus(jobId, Job.Status.COMPLETED, Duration.ofSeconds(90));
    }

    @Test
    @Order(8)
    void an_agent_killed_with_sigkill_mid_job_resumes_it_without_a_second_run_or_an_orphan() throws Exception {
        String jobId = id("crash");
        Instant since = Instant.now().minusSeconds(1);
        AgentStack.client().submitJob("User1", AgentStack.job(jobId, "sleep 8; echo survived > /output/out",
                64, 60, null, ORG1_ONLY, 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> stack.steps(CLIENT_ORG, jobId).contains("running"));
        agent.process().kill();
        assertThat(containers(jobId)).as("the container outlives the agent").hasSize(1);

        agent = stack.startAgent(agent.config());

        var view = awaitStatus(jobId, Job.Status.COMPLETED, Duration.ofSeconds(90));
        String digest = OutputManifest.digest(List.of(file("out", "survived\n")));
        assertThat(view.replicas().get(0).reveal().fingerprint()).isEqualTo(OutputManifest.fingerprint(jobId, digest));
        assertThat(starts(jobId, since)).as("container starts of the job").isEqualTo(1);
        assertThat(containers(jobId)).as("orphans").isEmpty();
    }

    @Test
    @Order(9)
    void two_agents_of_different_orgs_one_on_dockerd_one_on_podman_agree_and_the_job_settles() throws Exception {
        var shared = Map.of("pool", "agent-it-" + AgentStack.RUN);
        AgentStack.shareImageWithPodman();
        var config = stack.agentConfig(ORG2, "org2-node1", Map.of("pool", "agent-it-" + AgentStack.RUN, "site", "org2"));
        var org2 = stack.startAgent(new AgentStack.AgentConfig(config.mspId(), config.offerId(), config.capacity(),
                config.labels(), "unix://" + io.gridledger.agent.runtime.Engines.socket("podman"), config.dataDir(),
                config.extra()));
        try {
            // Org1's partner submits through its gateway's API, so that it owns the job and may download the result.
            var partner = partnerToken("agent-it-" + AgentStack.RUN);
            String jobId = submitThroughGateway(partner, "pair", "echo 42 > /output/answer", shared, 2);
            var view = awaitStatus(jobId, Job.Status.COMPLETED, Duration.ofSeconds(120));
            assertThat(view.replicas()).extracting(r -> r.assignment().nodeOrg()).containsExactlyInAnyOrder(CLIENT_ORG, ORG2);
            var manifest = List.of(file("answer", "42\n"));
            String digest = OutputManifest.digest(manifest);
            String fingerprint = OutputManifest.fingerprint(jobId, digest);
            assertThat(view.replicas()).allSatisfy(r -> assertThat(r.reveal().fingerprint()).isEqualTo(fingerprint));

            // The partner's download: 303 to the presigned manifest, whose digest the gateway names.
            var result = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                            stack.gateway(CLIENT_ORG).url() + "/api/v1/jobs/" + jobId + "/result"))
                    .header("Authorization", "Bearer " + partner).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(result.statusCode()).as("GET result: %s", result.body()).isEqualTo(303);
            assertThat(result.headers().firstValue("X-Result-Digest")).as("X-Result-Digest").contains(digest);
            assertThat(result.headers().firstValue("X-Result-Fingerprint")).contains(fingerprint);
            var downloaded = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    result.headers().firstValue("Location").orElseThrow())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(downloaded.statusCode()).isEqualTo(200);
            assertThat(downloaded.body()).as("the presigned manifest").isEqualTo(OutputManifest.encode(manifest));
            assertThat(stack.steps(ORG2, jobId)).contains("committed", "revealed");
            assertThat(offerStatus(ORG2, org2.config().offerId())).isEqualTo(Offer.Status.ACTIVE);
        } finally {
            org2.process().stop();
        }
        assertThat(offerStatus(ORG2, org2.config().offerId())).as("the offer after a clean stop")
                .isEqualTo(Offer.Status.PAUSED);
        var again = stack.startAgent(org2.config());
        try {
            assertThat(offerStatus(ORG2, org2.config().offerId())).as("the offer after a restart")
                    .isEqualTo(Offer.Status.ACTIVE);
        } finally {
            again.process().stop();
        }
    }

    // --- helpers ---

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient(); // never follows redirects

    /** A partner token of Org1's gateway for its User1 identity, made with the bootstrap admin token. */
    private static String partnerToken(String partnerId) throws Exception {
        var body = "{\"partnerId\":\"" + partnerId + "\",\"identity\":\"User1\",\"scopes\":[\"jobs:read\",\"jobs:write\"],"
                + "\"expiresInSeconds\":3600}";
        var answer = post("/api/v1/admin/tokens", body, AgentStack.ADMIN_TOKEN);
        assertThat(answer.statusCode()).as("token: %s", answer.body()).isEqualTo(201);
        return answer.body().replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
    }

    /** Submits {@code script} as Org1's partner through its gateway ({@code POST /api/v1/jobs}); returns the job id. */
    private static String submitThroughGateway(String partner, String key, String script, Map<String, String> labels,
                                               int replicas) throws Exception {
        var spec = AgentStack.job("unused", script, 64, 30, null, labels, replicas);
        var json = io.micronaut.serde.ObjectMapper.getDefault();
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("image", spec.image());
        body.put("command", spec.command());
        body.put("env", spec.env());
        body.put("resources", Map.of("cpuMillis", spec.resources().cpuMillis(), "memoryMiB", spec.resources().memoryMiB(),
                "storageMiB", spec.resources().storageMiB(), "arch", spec.resources().arch(), "labels", labels));
        body.put("maxUnitPrice", spec.maxUnitPrice());
        body.put("timeoutSeconds", spec.timeoutSeconds());
        body.put("verification", Map.of("mode", "REPLICATED", "replicas", replicas, "quorum", replicas));
        body.put("deadline", spec.deadline());
        var answer = post("/api/v1/jobs", json.writeValueAsString(body), partner);
        assertThat(answer.statusCode()).as("submit: %s", answer.body()).isEqualTo(202);
        return answer.body().replaceAll("(?s).*\"jobId\":\"([^\"]+)\".*", "$1");
    }

    private static java.net.http.HttpResponse<String> post(String path, String json, String token) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stack.gateway(CLIENT_ORG).url() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static Offer.Status offerStatus(String mspId, String offerId) {
        return AgentStack.client(mspId).getOffer("node1", offerId).status();
    }

    private static String id(String name) {
        return "agent-" + name + "-" + AgentStack.RUN;
    }

    private static String nodeId(String mspId) {
        return AgentStack.client(mspId).whoAmI("node1").accountId();
    }

    private static JobView awaitStatus(String jobId, Job.Status status, Duration within) {
        await(jobId + " " + status).atMost(within).pollInterval(Duration.ofMillis(300)).until(() -> {
            var job = AgentStack.client().getJob("User1", jobId).job();
            if (job.isFinished() && job.status() != status) {
                var replicas = AgentStack.client().getJob("User1", jobId).replicas().stream()
                        .map(r -> r.assignment().nodeId() + " committed=" + r.committed() + " revealed=" + r.revealed())
                        .toList();
                throw new AssertionError(jobId + " ended " + job.status() + " (" + job.outcome() + "); replicas "
                        + replicas + "; Org1 steps " + stack.steps(CLIENT_ORG, jobId) + "; Org2 steps "
                        + stack.steps(ORG2, jobId) + "; " + stack.statuses(CLIENT_ORG, jobId) + "; "
                        + stack.statuses(ORG2, jobId));
            }
            return job.status() == status;
        });
        return AgentStack.client().getJob("User1", jobId);
    }

    private static void awaitFailure(String jobId, String reason) {
        await(jobId + " failed " + reason).atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(stack.statuses(CLIENT_ORG, jobId)).anySatisfy(s -> assertThat(s)
                        .contains("\"step\":\"failed\"").contains("\"reason\":\"" + reason + "\"")));
    }

    private static OutputsRequest.OutputFile file(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new OutputsRequest.OutputFile(path, sha256(bytes), bytes.length);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The job's containers on dockerd, running or not. */
    private static List<String> containers(String jobId) {
        return docker("ps", "-a", "-q", "--filter", "label=io.gridledger.job=" + jobId);
    }

    /** How many times dockerd started a container of the job since {@code since}. */
    private static long starts(String jobId, Instant since) {
        return docker("events", "--since", Long.toString(since.getEpochSecond()), "--until",
                Long.toString(Instant.now().getEpochSecond()), "--filter", "label=io.gridledger.job=" + jobId,
                "--filter", "event=start", "--format", "{{.ID}}").size();
    }

    private static List<String> docker(String... args) {
        try {
            var command = new java.util.ArrayList<>(List.of("/usr/bin/docker"));
            command.addAll(List.of(args));
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as("docker %s: %s", List.of(args), out).isZero();
            return out.lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An address of this host that a container on the bridge could reach (docker0's). */
    private static String hostAddress() throws IOException {
        var bridge = NetworkInterface.getByName("docker0");
        assertThat(bridge).as("dockerd's bridge docker0").isNotNull();
        return bridge.inetAddresses().filter(a -> a instanceof java.net.Inet4Address).findFirst().orElseThrow()
                .getHostAddress();
    }
}
