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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The GridLedger job lifecycle as clients, provider nodes and a gateway drive it: a client submits a job (2 replicas,
 * quorum 2); the gateway's matcher matches it; the two assigned providers commit at the same time, then reveal at the
 * same time; the client's gateway settles it once both reveals are in; the matcher returns its slots with its next
 * {@code MatchJobs}, as a gateway does after a job's end event.
 *
 * <p>Matching is one transaction at a time for all the jobs waiting (it range-scans the market, so two matchers
 * would collide), carrying the jobs that ended since the last one. Commits and reveals of one job run in parallel:
 * each writes only its own key. Transactions that still hit MVCC or phantom conflicts, or whose endorsers simulated on
 * either side of a block and disagree, are proposed again; their invalid attempts and disagreements are counted.
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
    /** Jobs that ended and whose slots the next matching returns. */
    private final ConcurrentLinkedQueue<String> ended = new ConcurrentLinkedQueue<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        var thread = new Thread(r, "bench-job-tx");
        thread.setDaemon(true);
        return thread;
    });
    private final Thread matcherThread;
    private volatile boolean running = true;

    /**
     * @param clients   contracts of client identities; worker {@code w} submits (and settles) as client {@code w % size}
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
        var client = clients.get(worker % clients.size());
        long start = System.nanoTime();
        TimedSubmit.untilValid(samples, client, "SubmitJob", Transactions.job(jobId, 2, 2, 20));
        var waiting = new Waiting(jobId, new CompletableFuture<>());
        queue.add(waiting);
        var assignments = waiting.assigned().get(MATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (assignments.size() != 2) {
            throw new IllegalStateException("job " + jobId + " got " + assignments.size() + " replicas, expected 2");
        }
        bothAtOnce(assignments, a -> TimedSubmit.untilValid(samples, provider(a), "CommitResult", jobId,
                Integer.toString(a.replica()), Transactions.commitment(jobId, a.replica(), a.nodeId(), digest, salt(jobId, a))));
        bothAtOnce(assignments, a -> TimedSubmit.untilValid(samples, provider(a), "RevealResult", jobId,
                Integer.toString(a.replica()), Transactions.fingerprint(jobId, digest), salt(jobId, a), "100"));
        var decided = JSON.readTree(TimedSubmit.untilValid(samples, client, "SettleJob", jobId));
        if (!"COMPLETED".equals(decided.path("status").asText())) {
            throw new IllegalStateException("job " + jobId + " ended " + decided.path("status").asText() + ", expected COMPLETED");
        }
        ended.add(jobId);
        samples.add(new TxSamples.Job(start, System.nanoTime()));
    }

    private interface ReplicaTx {
        byte[] run(Assignment assignment) throws Exception;
    }

    /** Runs {@code tx} for both replicas in parallel, as their two agents would. */
    private void bothAtOnce(List<Assignment> assignments, ReplicaTx tx) throws Exception {
        var other = CompletableFuture.supplyAsync(() -> {
            try {
                return tx.run(assignments.get(1));
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }, pool);
        tx.run(assignments.get(0));
        other.join();
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

    /** Matches every job waiting, in one {@code MatchJobs} at a time, returning ended jobs' slots, until closed. */
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
        var release = new ArrayList<String>();
        for (String id; release.size() < MAX_MATCH_BATCH && (id = ended.poll()) != null; ) {
            release.add(id);
        }
        TimedSubmit.Submitted submitted;
        try {
            submitted = TimedSubmit.once(matcher, "MatchJobs", Transactions.json(ids), Transactions.json(release));
        } catch (EndorseException e) {
            if (!TimedSubmit.endorsersDisagreed(e)) {
                throw e;
            }
            samples.fail("MatchJobs", e);
            ended.addAll(release);
            queue.addAll(batch);
            return;
        }
        samples.add(submitted.attempt());
        if (!submitted.attempt().valid()) {
            if (!TimedSubmit.RETRYABLE.contains(submitted.attempt().code())) {
                throw new TimedSubmit.InvalidTransactionException("MatchJobs", submitted.attempt().code(), 1);
            }
            ended.addAll(release);
            queue.addAll(batch);
            return;
        }
        var report = JSON.readTree(submitted.result());
        for (var waiting : batch) {
            var assignments = assignmentsOf(report, waiting.jobId());
            if (!assignments.isEmpty()) {
                waiting.assigned().complete(assignments);
            } else if (report.path("unmatched").has(waiting.jobId())) {
                queue.add(waiting); // no capacity now; slots return as jobs end
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
