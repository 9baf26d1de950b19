package io.gridledger.chaincode.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Valid domain objects for tests, so each test states only what it is about.
 *
 * <pre>
 *   var job = Fixtures.replicatedJob("job-1", 3, 2);
 *   var replica = Fixtures.revealed(0, Fixtures.DIGEST_A);
 *   var spec = Fixtures.jobSpecBuilder("job-2").timeoutSeconds(60).build();
 * </pre>
 *
 * <p>Time is fixed: {@link #NOW} is the transaction timestamp every fixture is created at.
 */
public final class Fixtures {

    public static final long NOW = 1_700_000_000L;

    public static final String ORG1 = "Org1MSP";
    public static final String ORG2 = "Org2MSP";
    public static final String ORG3 = "Org3MSP";
    public static final String ORG4 = "Org4MSP";
    public static final String ORG5 = "Org5MSP";
    public static final List<String> ORGS = List.of(ORG1, ORG2, ORG3, ORG4, ORG5);

    public static final String CLIENT = ORG1 + "/client-1";
    public static final String IMAGE = "registry.example.org/gridledger/render@sha256:" + sha256Hex("render image");

    public static final String DIGEST_A = sha256Hex("result A");
    public static final String DIGEST_B = sha256Hex("result B");
    public static final String DIGEST_C = sha256Hex("result C");
    public static final String DIGEST_D = sha256Hex("result D");

    /** Runtime every revealed fixture replica reports, well inside the default timeout. */
    public static final long RUNTIME = 120;

    private Fixtures() {
    }

    // ---- hashing ------------------------------------------------------------------------------------

    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid 32-byte salt, different for each replica index. */
    public static String salt(int index) {
        return sha256Hex("salt of replica " + index);
    }

    /** {@code n} lowercase hex characters. */
    public static String hex(int n) {
        var chars = new char[n];
        Arrays.fill(chars, 'a');
        return new String(chars);
    }

    // ---- parameters ---------------------------------------------------------------------------------

    /** Three member orgs, 2.5 % fee, 3 replicas with quorum 2 by default. */
    public static Params params() {
        return paramsBuilder().build();
    }

    public static Params params(String... members) {
        return paramsBuilder().members(members).build();
    }

    public static ParamsBuilder paramsBuilder() {
        return new ParamsBuilder();
    }

    public static final class ParamsBuilder {
        private List<String> members = List.of(ORG1, ORG2, ORG3);
        private int feeBasisPoints = 250;
        private long minStakePerSlot = 1_000;
        private int slashBasisPoints = 1_000;
        private int defaultReplicas = 3;
        private int defaultQuorum = 2;
        private long commitGraceSeconds = 300;
        private long revealWindowSeconds = 600;
        private int matchScanLimit = 200;
        private long clockToleranceSeconds = 30;
        private long reputationUnitCredits = 10_000;
        private int reputationCapPerOrg = 100;
        private ResourceUnits units = ResourceUnits.DEFAULT;

        public ParamsBuilder members(String... value) {
            members = Arrays.asList(value);
            return this;
        }

        public ParamsBuilder members(List<String> value) {
            members = value;
            return this;
        }

        public ParamsBuilder feeBasisPoints(int value) {
            feeBasisPoints = value;
            return this;
        }

        public ParamsBuilder minStakePerSlot(long value) {
            minStakePerSlot = value;
            return this;
        }

        public ParamsBuilder clockToleranceSeconds(long value) {
            clockToleranceSeconds = value;
            return this;
        }

        public ParamsBuilder reputation(long unitCredits, int capPerOrg) {
            reputationUnitCredits = unitCredits;
            reputationCapPerOrg = capPerOrg;
            return this;
        }

        public ParamsBuilder slashBasisPoints(int value) {
            slashBasisPoints = value;
            return this;
        }

        public ParamsBuilder defaultReplicas(int value) {
            defaultReplicas = value;
            return this;
        }

        public ParamsBuilder defaultQuorum(int value) {
            defaultQuorum = value;
            return this;
        }

        public ParamsBuilder commitGraceSeconds(long value) {
            commitGraceSeconds = value;
            return this;
        }

        public ParamsBuilder revealWindowSeconds(long value) {
            revealWindowSeconds = value;
            return this;
        }

        public ParamsBuilder matchScanLimit(int value) {
            matchScanLimit = value;
            return this;
        }

        public ParamsBuilder units(ResourceUnits value) {
            units = value;
            return this;
        }

        public Params build() {
            return new Params(members, 1L, feeBasisPoints, minStakePerSlot, slashBasisPoints, defaultReplicas, defaultQuorum,
                    commitGraceSeconds, revealWindowSeconds, matchScanLimit, clockToleranceSeconds, reputationUnitCredits,
                    reputationCapPerOrg, units);
        }
    }

    // ---- resources ----------------------------------------------------------------------------------

    /** What a CPU job replica needs: one core, 2 GiB, 1 GiB scratch, amd64, no labels. */
    public static Resources cpuNeed() {
        return resourcesBuilder().build();
    }

    /** What a GPU job replica needs: one nvidia-a100. */
    public static Resources gpuNeed() {
        return resourcesBuilder().cpuMillis(4_000).memoryMiB(16_384).gpu(1, "nvidia-a100").storageMiB(10_240).build();
    }

    /** One slot of a CPU offer: 4 cores, 16 GiB, 100 GiB scratch, amd64, labelled region=eu-west, tier=standard. */
    public static Resources cpuSlot() {
        return resourcesBuilder().cpuMillis(4_000).memoryMiB(16_384).storageMiB(102_400)
                .label("region", "eu-west").label("tier", "standard").build();
    }

    /** One slot of a GPU offer: 16 cores, 64 GiB, two nvidia-a100, 500 GiB scratch, amd64, region=eu-west. */
    public static Resources gpuSlot() {
        return resourcesBuilder().cpuMillis(16_000).memoryMiB(65_536).gpu(2, "nvidia-a100").storageMiB(512_000)
                .label("region", "eu-west").build();
    }

    public static ResourcesBuilder resourcesBuilder() {
        return new ResourcesBuilder();
    }

    public static final class ResourcesBuilder {
        private long cpuMillis = 1_000;
        private long memoryMiB = 2_048;
        private int gpuCount;
        private String gpuModel = "";
        private long storageMiB = 1_024;
        private String arch = "amd64";
        private Map<String, String> labels = new LinkedHashMap<>();

        public ResourcesBuilder cpuMillis(long value) {
            cpuMillis = value;
            return this;
        }

        public ResourcesBuilder memoryMiB(long value) {
            memoryMiB = value;
            return this;
        }

        public ResourcesBuilder gpu(int count, String model) {
            gpuCount = count;
            gpuModel = model;
            return this;
        }

        public ResourcesBuilder storageMiB(long value) {
            storageMiB = value;
            return this;
        }

        public ResourcesBuilder arch(String value) {
            arch = value;
            return this;
        }

        public ResourcesBuilder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public ResourcesBuilder labels(Map<String, String> value) {
            labels = value;
            return this;
        }

        public Resources build() {
            return new Resources(cpuMillis, memoryMiB, gpuCount, gpuModel, storageMiB, arch, labels);
        }
    }

    // ---- offers -------------------------------------------------------------------------------------

    /** Account id of a provider node: {@code <MSP ID>/<name>}. */
    public static String node(String org, String name) {
        return org + "/" + name;
    }

    /** Four CPU slots at 50 credits per RU-second, staking 8,000 (the fixture minimum is 1,000 per slot). */
    public static OfferSpec offerSpec(String offerId) {
        return new OfferSpec(offerId, cpuSlot(), 4, 50, 8_000);
    }

    /** An ACTIVE offer of {@link #offerSpec} by node {@code Org2MSP/node-a}, published at {@link #NOW}. */
    public static Offer offer(String offerId) {
        return Offer.publish(offerSpec(offerId), node(ORG2, "node-a"), ORG2, params(), NOW);
    }

    /** The market entry of offer {@code offer-<node name>}: 4 CPU slots, collateral 2,000 per slot. */
    public static Replica.Candidate candidate(String nodeId, long unitPrice) {
        return candidate(nodeId, unitPrice, cpuSlot());
    }

    public static Replica.Candidate candidate(String nodeId, long unitPrice, Resources resources) {
        var org = nodeId.substring(0, nodeId.indexOf('/'));
        return new Replica.Candidate("offer-" + nodeId.substring(nodeId.indexOf('/') + 1), nodeId, org, unitPrice, 4,
                2_000, resources);
    }

    // ---- jobs ---------------------------------------------------------------------------------------

    /** A single-execution CPU job: max 100 credits per RU-second, 600 s timeout, deadline an hour from now. */
    public static JobSpec jobSpec(String jobId) {
        return jobSpecBuilder(jobId).build();
    }

    public static JobSpecBuilder jobSpecBuilder(String jobId) {
        return new JobSpecBuilder(jobId);
    }

    public static final class JobSpecBuilder {
        private String jobId;
        private String image = IMAGE;
        private List<String> command = List.of("render", "--frames", "1-10");
        private Map<String, String> env = new LinkedHashMap<>(Map.of("MODE", "fast"));
        private List<JobSpec.InputRef> inputs = List.of(new JobSpec.InputRef("scene.blend", sha256Hex("scene"), 4_096));
        private Resources resources = cpuNeed();
        private long maxUnitPrice = 100;
        private long timeoutSeconds = 600;
        private Verification verification = Verification.single();
        private int minReputation;
        private long deadline = NOW + 3_600;

        private JobSpecBuilder(String jobId) {
            this.jobId = jobId;
        }

        public JobSpecBuilder jobId(String value) {
            jobId = value;
            return this;
        }

        public JobSpecBuilder image(String value) {
            image = value;
            return this;
        }

        public JobSpecBuilder command(List<String> value) {
            command = value;
            return this;
        }

        public JobSpecBuilder env(Map<String, String> value) {
            env = value;
            return this;
        }

        public JobSpecBuilder inputs(List<JobSpec.InputRef> value) {
            inputs = value;
            return this;
        }

        public JobSpecBuilder resources(Resources value) {
            resources = value;
            return this;
        }

        public JobSpecBuilder maxUnitPrice(long value) {
            maxUnitPrice = value;
            return this;
        }

        public JobSpecBuilder timeoutSeconds(long value) {
            timeoutSeconds = value;
            return this;
        }

        public JobSpecBuilder verification(Verification value) {
            verification = value;
            return this;
        }

        public JobSpecBuilder replicated(int replicas, int quorum) {
            verification = Verification.replicated(replicas, quorum);
            return this;
        }

        public JobSpecBuilder minReputation(int value) {
            minReputation = value;
            return this;
        }

        public JobSpecBuilder deadline(long value) {
            deadline = value;
            return this;
        }

        public JobSpec build() {
            return new JobSpec(jobId, image, command, env, inputs, resources, maxUnitPrice, timeoutSeconds, verification,
                    minReputation, deadline);
        }
    }

    /** A QUEUED single-execution job of {@link #jobSpec} submitted by {@link #CLIENT} at {@link #NOW}. */
    public static Job job(String jobId) {
        return job(jobSpec(jobId));
    }

    public static Job job(JobSpec spec) {
        return Job.submit(spec, CLIENT, ORG1, params(), NOW);
    }

    /** A QUEUED job replicated {@code replicas} times with the given quorum. */
    public static Job replicatedJob(String jobId, int replicas, int quorum) {
        return job(jobSpecBuilder(jobId).replicated(replicas, quorum).build());
    }

    /** A RUNNING job in its commit phase, its replicas assigned at {@link #NOW}. */
    public static Job runningJob(String jobId, int replicas, int quorum) {
        var holds = new ArrayList<Job.Hold>();
        for (int i = 0; i < replicas; i++) {
            holds.add(new Job.Hold("offer-node-" + i, 0, i, 1, false));
        }
        return replicatedJob(jobId, replicas, quorum).assigned(holds, false, NOW);
    }

    // ---- replicas -----------------------------------------------------------------------------------

    /** The job every replica fixture belongs to: {@code job-r}, 5 replicas on 5 orgs, quorum 3, 600 s timeout. */
    public static Job replicaJob() {
        var holds = new ArrayList<Job.Hold>();
        for (int i = 0; i < 5; i++) {
            holds.add(new Job.Hold("offer-node-" + i, 0, i, 1, false));
        }
        return Job.submit(jobSpecBuilder("job-r").replicated(5, 3).build(), CLIENT, ORG1, params(ORGS.toArray(String[]::new)), NOW)
                .assigned(holds, false, NOW);
    }

    /** Node serving replica {@code index} of {@link #replicaJob}: {@code OrgNMSP/node-<index>}, one org per replica. */
    public static String replicaNode(int index) {
        return node(ORGS.get(index % ORGS.size()), "node-" + index);
    }

    /** Replica {@code index} of {@link #replicaJob}, ASSIGNED at {@link #NOW} at 40 credits per RU-second. */
    public static ReplicaState assigned(int index) {
        return new ReplicaState(assignment(index), null, null);
    }

    public static Replica assignment(int index) {
        return Replica.assign(replicaJob(), index, 1, 0, candidate(replicaNode(index), 40), 0, NOW);
    }

    /** The fingerprint {@link #replicaJob} gets for {@code digest}. */
    public static String fingerprint(String digest) {
        return Commitments.fingerprint("job-r", digest);
    }

    /** Replica {@code index}, COMMITTED to {@code digest}'s fingerprint with {@link #salt(int)} 130 s after assignment. */
    public static ReplicaState committed(int index, String digest) {
        var replica = assignment(index);
        var commitment = Commitments.commitment("job-r", index, replica.nodeId(), fingerprint(digest), salt(index));
        return new ReplicaState(replica, ReplicaCommit.of(replica, commitment, NOW + RUNTIME + 10), null);
    }

    /** Replica {@code index}, REVEALED {@code digest}'s fingerprint, reporting {@link #RUNTIME} seconds. */
    public static ReplicaState revealed(int index, String digest) {
        return revealed(index, digest, RUNTIME);
    }

    public static ReplicaState revealed(int index, String digest, long runtimeSeconds) {
        var state = committed(index, digest);
        var reveal = ReplicaReveal.open(state.replica(), state.commit(), fingerprint(digest), salt(index), runtimeSeconds,
                replicaJob().spec().timeoutSeconds(), NOW + RUNTIME + 20);
        return new ReplicaState(state.replica(), state.commit(), reveal);
    }

    /** Replica {@code index}, TIMED_OUT without committing. */
    public static ReplicaState timedOut(int index) {
        return new ReplicaState(assignment(index).timedOut(), null, null);
    }

    /** Replicas 0, 1, 2, … revealing the given digests in order. */
    public static List<ReplicaState> revealedAll(String... digests) {
        var replicas = new ArrayList<ReplicaState>();
        for (int i = 0; i < digests.length; i++) {
            replicas.add(revealed(i, digests[i]));
        }
        return replicas;
    }
}
