package io.gridledger.devnet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridledger.devnet.network.Transactions;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The GridLedger job lifecycle as clients and provider nodes drive it: a client submits a job (2 replicas, quorum 2);
 * a matcher matches it; the two assigned providers commit H(result ‖ salt) at the same time; then each reveals, one
 * after the other, and the second reveal completes the job and settles its escrow.
 *
 * <p>Matching is one transaction for all the jobs waiting, as a gateway's matcher would run it: {@code MatchJobs}
 * scans the free slots, so two matches in one block conflict (a phantom read) and matching one job per transaction
 * would serialise the market. Reveals of one job are sequential because each reads the other's replica; a reveal
 * racing the other would be an MVCC conflict by design. Transactions that still hit MVCC or phantom conflicts (shared
 * balance, reputation and free-slot keys), or whose endorsers simulated on either side of a block and disagree, are
 * proposed again; their invalid attempts and disagreements are counted.
 */
final class JobLifecycle implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MATCH_BATCH = 100;
    private static final long MATCH_TIMEOUT_SECONDS = 120;

    private record Waiting(String jobId, CompletableFuture<List<Assignment>> assigned) {
    }

    private record Assignment(int replica, String nodeId) {
    }

    private final List<Contract> clients;
    private final Map<String, Contract> providers;
    private final Contract matcher;
    private final TxSamples samples;
    private final String prefix;
    private final LinkedBlockingQueue<Waiting> queue = new LinkedBlockingQueue<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "bench-job-tx");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread matcherThread;
    private volatile boolean running = true;

    /**
     * @param clients   contracts of client identities; worker {@code w} submits as client {@code w % size}
     * @param providers contracts of the provider nodes that hold offers, by their account id
     * @param matcher   the contract of the member identity that runs {@code MatchJobs}
     * @param prefix    makes this run's job ids unique on the ledger
     */
    JobLifecycle(List<Contract> clients, Map<String, Contract> providers, Contract matcher, TxSamples samples, String prefix) {
        this.clients = List.copyOf(clients);
        this.providers = Map.copyOf(providers);
        this.matcher = matcher;
        this.samples = samples;
        this.prefix = prefix;
        this.matcherThread = new Thread(this::matchLoop, "bench-matcher");
        this.matcherThread.setDaemon(true);
        this.matcherThread.start();
    }

    /** Runs one job to completion; a {@link LoadRun.Work}. */
    void runJob(int worker, long sequence) throws Exception {
        var jobId = prefix + "-" + worker + "-" + sequence;
        var digest = sha256Hex(jobId);
        long start = System.nanoTime();
        TimedSubmit.untilValid(samples, clients.get(worker % clients.size()), "SubmitJob", Transactions.job(jobId, 2, 2, 20));
        var waiting = new Waiting(jobId, new CompletableFuture<>());
        queue.add(waiting);
        var assignments = waiting.assigned().get(MATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (assignments.size() != 2) {
            throw new IllegalStateException("job " + jobId + " got " + assignments.size() + " replicas, expected 2");
        }
        var first = assignments.get(0);
        var second = assignments.get(1);
        var secondCommit = CompletableFuture.supplyAsync(() -> commit(jobId, second, digest), pool);
        commit(jobId, first, digest);
        secondCommit.join();
        reveal(jobId, first, digest);
        var decided = JSON.readTree(reveal(jobId, second, digest));
        if (!"COMPLETED".equals(decided.path("status").asText())) {
            throw new IllegalStateException("job " + jobId + " ended " + decided.path("status").asText() + ", expected COMPLETED");
        }
        samples.add(new TxSamples.Job(start, System.nanoTime()));
    }

    private byte[] commit(String jobId, Assignment assignment, String digest) {
        try {
            return TimedSubmit.untilValid(samples, provider(assignment), "CommitResult", jobId,
                    Integer.toString(assignment.replica()), Transactions.commitment(digest, salt(jobId, assignment)));
        } catch (Exception e) {
            throw new IllegalStateException("CommitResult of " + jobId + "#" + assignment.replica() + ": " + e.getMessage(), e);
        }
    }

    private byte[] reveal(String jobId, Assignment assignment, String digest) throws Exception {
        return TimedSubmit.untilValid(samples, provider(assignment), "RevealResult", jobId,
                Integer.toString(assignment.replica()), digest, salt(jobId, assignment), "100");
    }

    private Contract provider(Assignment assignment) {
        var contract = providers.get(assignment.nodeId());
        if (contract == null) {
            throw new IllegalStateException("a replica went to " + assignment.nodeId() + ", which is not one of " + providers.keySet());
        }
        return contract;
    }

    private static String salt(String jobId, Assignment assignment) {
        return Transactions.salt(jobId + "#" + assignment.replica());
    }

    /** Matches every job waiting, in one {@code MatchJobs} at a time, until closed. */
    private void matchLoop() {
        while (running) {
            var batch = new ArrayList<Waiting>();
            try {
                var first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_MATCH_BATCH - 1);
                match(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(w -> w.assigned().completeExceptionally(e));
                return;
            } catch (Exception e) {
                samples.fail("MatchJobs", e);
                batch.forEach(w -> w.assigned().completeExceptionally(e));
            }
        }
        queue.forEach(w -> w.assigned().cancel(false));
    }

    private void match(List<Waiting> batch) throws Exception {
        var ids = batch.stream().map(Waiting::jobId).toList();
        TimedSubmit.Submitted submitted;
        try {
            submitted = TimedSubmit.once(matcher, "MatchJobs", Transactions.json(ids));
        } catch (EndorseException e) {
            if (!TimedSubmit.endorsersDisagreed(e)) {
                throw e;
            }
            samples.fail("MatchJobs", e);
            queue.addAll(batch);
            return;
        }
        samples.add(submitted.attempt());
        if (!submitted.attempt().valid()) {
            if (!TimedSubmit.RETRYABLE.contains(submitted.attempt().code())) {
                throw new TimedSubmit.InvalidTransactionException("MatchJobs", submitted.attempt().code(), 1);
            }
            queue.addAll(batch);
            return;
        }
        var report = JSON.readTree(submitted.result());
        for (var waiting : batch) {
            var assignments = assignmentsOf(report, waiting.jobId());
            if (!assignments.isEmpty()) {
                waiting.assigned().complete(assignments);
            } else if (report.path("unmatched").has(waiting.jobId())) {
                queue.add(waiting); // no capacity now; slots return as jobs finish
            } else {
                waiting.assigned().completeExceptionally(new IllegalStateException("MatchJobs skipped " + waiting.jobId()));
            }
        }
    }

    private static List<Assignment> assignmentsOf(JsonNode report, String jobId) {
        var assignments = new ArrayList<Assignment>();
        for (var node : report.path("assignments")) {
            if (node.path("jobId").asText().equals(jobId)) {
                assignments.add(new Assignment(node.path("replica").asInt(), node.path("nodeId").asText()));
            }
        }
        assignments.sort((a, b) -> Integer.compare(a.replica(), b.replica()));
        return assignments;
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        matcherThread.join(TimeUnit.SECONDS.toMillis(MATCH_TIMEOUT_SECONDS));
        pool.shutdown();
    }
}
