package io.gridledger.agent.runtime;

import io.gridledger.agent.JobKey;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunSpecTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void images_are_pinned_by_digest_never_by_tag() {
        assertThat(ImageRef.parse(DIGEST).isImageId()).isTrue();
        var repo = ImageRef.parse("registry.example:5000/team/solver@" + DIGEST);
        assertThat(repo.repository()).contains("registry.example:5000/team/solver");
        assertThat(repo.digest()).isEqualTo(DIGEST);
        assertThatThrownBy(() -> ImageRef.parse("solver:latest")).hasMessageContaining("not pinned by digest");
        assertThatThrownBy(() -> ImageRef.parse("solver")).hasMessageContaining("not pinned by digest");
        assertThatThrownBy(() -> ImageRef.parse("sha256:ABC")).hasMessageContaining("not pinned by digest");
        assertThatThrownBy(() -> ImageRef.parse("Bad Repo@" + DIGEST)).hasMessageContaining("invalid repository");
    }

    @Test
    void the_defaults_are_the_strict_ones() {
        RunSpec spec = RunSpec.builder(new JobKey("j", 0, 0), ImageRef.parse(DIGEST)).build();
        assertThat(spec.network()).isFalse();
        assertThat(spec.user()).contains(RunSpec.NOBODY);
        assertThat(spec.gpus()).isZero();
        assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void refuses_what_no_engine_should_be_given() {
        var builder = RunSpec.builder(new JobKey("j", 0, 0), ImageRef.parse(DIGEST));
        assertThatThrownBy(() -> builder.user("root; rm -rf /").build()).hasMessageContaining("user");
        assertThatThrownBy(() -> Mount.writable(Path.of("relative"), "/out")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Mount.writable(Path.of("/tmp/x"), "/out:/etc")).hasMessageContaining("':'");
        assertThatThrownBy(() -> Limits.of(1000, 1, 10)).hasMessageContaining("6 MiB");
        assertThatThrownBy(() -> RunSpec.builder(new JobKey("j", 0, 0), ImageRef.parse(DIGEST))
                .timeout(Duration.ZERO).build()).hasMessageContaining("timeout");
        assertThatThrownBy(() -> RunSpec.builder(new JobKey("j", 0, 0), ImageRef.parse(DIGEST))
                .env("A=B", "x").build()).hasMessageContaining("environment");
    }
}
