package io.gridledger.devnet.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchmarkOptionsTest {

    @Test
    void the_full_run_ends_with_the_issues_fabric_workload() {
        var options = DevnetBenchmark.Options.parse(new String[0]);

        assertThat(options.phases()).isTrue();
        assertThat(options.fabric()).contains(FabricWorkload.Settings.ISSUE);
        assertThat(FabricWorkload.Settings.ISSUE)
                .isEqualTo(new FabricWorkload.Settings(3_000, 50, 3, 250, 100, true));
    }

    @Test
    void fabric_workload_alone_runs_no_other_phase_and_takes_its_sizes_from_the_options() {
        var options = DevnetBenchmark.Options.parse(new String[]{"--fabric-workload", "--fabric-tx", "1000",
                "--fabric-in-flight", "20", "--fabric-repetitions", "1"});

        assertThat(options.phases()).isFalse();
        assertThat(options.fabric()).contains(new FabricWorkload.Settings(1_000, 20, 1, 250, 100, true));
    }

    @Test
    void jobs_only_and_no_fabric_workload_leave_the_fabric_workload_out() {
        assertThat(DevnetBenchmark.Options.parse(new String[]{"--jobs-only"}).fabric()).isEmpty();
        assertThat(DevnetBenchmark.Options.parse(new String[]{"--no-fabric-workload"}).fabric()).isEmpty();
    }

    @Test
    void fabric_workload_alone_refuses_options_of_the_other_phases() {
        assertThatThrownBy(() -> DevnetBenchmark.Options.parse(new String[]{"--fabric-workload", "--write", "8"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fabric-workload");
        assertThatThrownBy(() -> DevnetBenchmark.Options.parse(new String[]{"--fabric-workload", "--jobs-only"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--fabric-workload");
    }

    @Test
    void a_fabric_workload_of_no_transactions_is_refused() {
        assertThatThrownBy(() -> DevnetBenchmark.Options.parse(new String[]{"--fabric-workload", "--fabric-tx", "0"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 transaction");
    }
}
