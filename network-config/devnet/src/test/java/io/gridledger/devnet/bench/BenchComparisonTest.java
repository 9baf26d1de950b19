package io.gridledger.devnet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** As the benchmark wrote results.json before per-kind VALID and error counts: byType has latency.count only. */
    private static final String OLDER = """
            {"setup": {"date": "2026-11-21T07:01Z", "machine": "2 cores", "loadAtStart": 0.5712890625},
             "phases": [
               {"workload": "simple write (Deposit)", "concurrency": 8, "jobsPerSecond": 0.0, "txPerSecond": 36.1},
               {"workload": "job lifecycle", "concurrency": 8, "attempts": 200, "validTx": 160, "txPerSecond": 33.7,
                "invalid": {"MVCC_READ_CONFLICT": 30, "PHANTOM_READ_CONFLICT": 8, "ENDORSEMENT_POLICY_FAILURE": 2},
                "failures": 3, "jobsPerSecond": 6.15, "jobLatency": {"count": 40, "p50": 1229.0, "p99": 2069.0},
                "cpu": {"jvm": 0.674, "chaincode": 0.337, "others": 0.5},
                "byType": {
                  "RevealResult": {"attempts": 100, "latency": {"count": 70},
                                   "invalid": {"MVCC_READ_CONFLICT": 28, "ENDORSEMENT_POLICY_FAILURE": 2}},
                  "SubmitJob": {"attempts": 50, "latency": {"count": 48}, "invalid": {"MVCC_READ_CONFLICT": 2}}}}]}
            """;

    private static final String NEWER = """
            {"setup": {"date": "2026-11-22T08:00Z", "machine": "2 cores", "loadAtStart": 0.25},
             "phases": [
               {"workload": "job lifecycle", "concurrency": 8, "attempts": 150, "validTx": 150, "txPerSecond": 40.0,
                "invalid": {}, "failures": 0, "jobsPerSecond": 8.0, "jobLatency": {"count": 60, "p50": "NaN", "p99": 1500.0},
                "byType": {
                  "MatchJobs": {"attempts": 10, "valid": 10, "invalid": {}, "errors": 1, "latency": {"count": 10}},
                  "RevealResult": {"attempts": 80, "valid": 80, "invalid": {}, "errors": 0, "latency": {"count": 80}}}},
               {"workload": "job lifecycle", "concurrency": 32, "attempts": 10, "validTx": 5, "txPerSecond": 1.0,
                "invalid": {"PHANTOM_READ_CONFLICT": 5}, "failures": 0, "jobsPerSecond": 0.5,
                "jobLatency": {"p50": 100.0, "p99": 200.0}, "byType": {}}]}
            """;

    private static BenchComparison comparison() throws Exception {
        return new BenchComparison(new BenchComparison.Run("HEAD~1 (abc1234)", JSON.readTree(OLDER)),
                new BenchComparison.Run("working tree", JSON.readTree(NEWER)));
    }

    @Test
    void the_job_lifecycle_phases_are_set_side_by_side_with_their_changes() throws Exception {
        var md = comparison().markdown();

        assertThat(md).contains("| tree | HEAD~1 (abc1234) | working tree |");
        assertThat(md).contains("| load average at start | 0.57 | 0.25 |");
        assertThat(md).contains("## job lifecycle, 8 jobs in flight");
        assertThat(md).contains("| jobs/s | 6.15 | 8.00 | +30 % |");
        assertThat(md).contains("| VALID tx/s | 33.7 | 40.0 | +19 % |");
        assertThat(md).contains("| invalid rate | 20.0 % | 0.0 % | -20.0 pts |");
        assertThat(md).contains("| job p99 ms | 2,069 | 1,500 | -28 % |");
        assertThat(md).contains("| CPU ms per VALID tx, chaincode | 10.0 | – | – |");
        assertThat(md).contains("| others' cores (not the benchmark) | 0.50 | – | – |");
        assertThat(md).doesNotContain("simple write");
    }

    @Test
    void non_valid_commits_of_each_kind_are_split_into_mvcc_phantom_and_other() throws Exception {
        var json = comparison().json();

        var before = json.at("/phases/0/before/kinds/RevealResult");
        assertThat(before.path("attempts").asInt()).isEqualTo(100);
        assertThat(before.path("valid").asInt()).isEqualTo(70);
        assertThat(before.path("mvcc").asInt()).isEqualTo(28);
        assertThat(before.path("phantom").asInt()).isZero();
        assertThat(before.path("other").asInt()).isEqualTo(2);
        assertThat(before.path("invalidRate").asDouble()).isEqualTo(30.0);
        assertThat(comparison().markdown()).contains("| RevealResult | 100 → 80 | 70 → 80 | 28 → 0 | 0 → 0 | 2 → 0 | 30.0 % → 0.0 % | – → 0 |");
    }

    @Test
    void what_a_run_did_not_record_is_a_dash_not_a_guess() throws Exception {
        var comparison = comparison();
        var md = comparison.markdown();

        // NaN job p50 after; no errors per kind before; MatchJobs only after, SubmitJob only before
        assertThat(md).contains("| job p50 ms | 1,229 | – | – |");
        assertThat(md).contains("| MatchJobs | – → 10 | – → 10 | – → 0 | – → 0 | – → 0 | – → 0.0 % | – → 1 |");
        assertThat(md).contains("| SubmitJob | 50 → – |");
        // 32 jobs in flight: measured after only
        assertThat(md).contains("| jobs/s | – | 0.50 | – |");
        assertThat(comparison.json().at("/phases/1/before/jobsPerSecond").isNull()).isTrue();
        assertThat(comparison.json().at("/phases/0/after/jobP50Ms").isNull()).isTrue();
    }

    @Test
    void the_comparison_is_written_as_markdown_and_json_with_the_runs_labels(@TempDir Path dir) throws Exception {
        var beforeDir = Files.createDirectories(dir.resolve("before"));
        var afterDir = Files.createDirectories(dir.resolve("after"));
        Files.writeString(beforeDir.resolve("results.json"), OLDER);
        Files.writeString(beforeDir.resolve("label"), "main at 72d9cc1\n");
        Files.writeString(afterDir.resolve("results.json"), NEWER);

        BenchComparison.main(new String[]{beforeDir.toString(), afterDir.toString(), dir.toString()});

        assertThat(Files.readString(dir.resolve("comparison.md"))).contains("| tree | main at 72d9cc1 | after |");
        var json = JSON.readTree(dir.resolve("comparison.json").toFile());
        assertThat(json.at("/before/label").asText()).isEqualTo("main at 72d9cc1");
        assertThat(json.at("/phases/0/after/jobsPerSecond").asDouble()).isEqualTo(8.0);
    }
}
