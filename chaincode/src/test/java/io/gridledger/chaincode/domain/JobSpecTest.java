package io.gridledger.chaincode.domain;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gridledger.chaincode.domain.Fixtures.IMAGE;
import static io.gridledger.chaincode.domain.Fixtures.jobSpec;
import static io.gridledger.chaincode.domain.Fixtures.jobSpecBuilder;
import static io.gridledger.chaincode.domain.Fixtures.sha256Hex;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSpecTest {

    private static final String SCENE_SHA = sha256Hex("scene");

    @Test
    void accepts_the_fixture_spec() {
        var spec = jobSpec("job-1");

        assertThat(spec.jobId()).isEqualTo("job-1");
        assertThat(spec.image()).isEqualTo(IMAGE);
    }

    @Nested
    class Normalisation {

        @Test
        void treats_missing_command_env_and_inputs_as_empty() {
            var spec = jobSpecBuilder("job-1").command(null).env(null).inputs(null).build();

            assertThat(spec.command()).isEmpty();
            assertThat(spec.env()).isEmpty();
            assertThat(spec.inputs()).isEmpty();
        }

        @Test
        void sorts_the_environment_by_name() {
            var env = new LinkedHashMap<String, String>();
            env.put("ZETA", "1");
            env.put("ALPHA", "2");

            assertThat(jobSpecBuilder("job-1").env(env).build().env().keySet()).containsExactly("ALPHA", "ZETA");
        }

        @Test
        void keeps_immutable_copies_of_what_it_was_given() {
            var command = new ArrayList<>(List.of("run"));
            var spec = jobSpecBuilder("job-1").command(command).build();

            command.add("--evil");

            assertThat(spec.command()).containsExactly("run");
            assertThatThrownBy(() -> spec.command().add("x")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> spec.env().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> spec.inputs().clear()).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class JobId {

        @ParameterizedTest
        @ValueSource(strings = {"job-1", "J", "tenant:batch.7_a", "0abc"})
        void accepts_letters_digits_and_separators(String jobId) {
            assertThat(jobSpec(jobId).jobId()).isEqualTo(jobId);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"-job", ".job", "job 1", "job/1", "jöb"})
        void rejects_other_ids(String jobId) {
            assertInvalid(() -> jobSpec(jobId)).hasMessageContaining("jobId must be 1-128 characters");
        }

        @Test
        void rejects_ids_longer_than_128_characters() {
            assertThat(jobSpec("j".repeat(128)).jobId()).hasSize(128);
            assertInvalid(() -> jobSpec("j".repeat(129))).hasMessageContaining("jobId");
        }
    }

    @Nested
    class Image {

        @ParameterizedTest
        @ValueSource(strings = {
                "ubuntu@sha256:",
                "library/ubuntu@sha256:",
                "registry.example.org:5000/team/render@sha256:"})
        void accepts_an_image_pinned_by_digest(String prefix) {
            var image = prefix + SCENE_SHA;

            assertThat(jobSpecBuilder("job-1").image(image).build().image()).isEqualTo(image);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {
                "ubuntu",
                "ubuntu:22.04",
                "ubuntu:latest@sha256:0123",
                "ubuntu@sha256:ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789",
                "ubuntu@sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "Ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
        void rejects_an_image_that_is_not_pinned_by_digest(String image) {
            assertInvalid(() -> jobSpecBuilder("job-1").image(image).build())
                    .hasMessageContaining("image must be pinned by digest (name@sha256:<64 lowercase hex>)");
        }

        @Test
        void rejects_a_digest_of_the_wrong_length() {
            assertInvalid(() -> jobSpecBuilder("job-1").image("ubuntu@sha256:" + SCENE_SHA.substring(1)).build())
                    .hasMessageContaining("pinned by digest");
            assertInvalid(() -> jobSpecBuilder("job-1").image("ubuntu@sha256:" + SCENE_SHA + "0").build())
                    .hasMessageContaining("pinned by digest");
        }

        @Test
        void accepts_a_tagged_reference_pinned_by_digest() {
            // name:tag@digest is pinned: the digest decides what runs
            var image = "ubuntu:22.04@sha256:" + SCENE_SHA;

            assertThat(jobSpecBuilder("job-1").image(image).build().image()).isEqualTo(image);
        }

        @Test
        void rejects_an_image_reference_longer_than_512_characters() {
            var image = "a".repeat(450) + "@sha256:" + SCENE_SHA;

            assertInvalid(() -> jobSpecBuilder("job-1").image(image).build()).hasMessageContaining("pinned by digest");
        }
    }

    @Nested
    class Inputs {

        @Test
        void rejects_a_sha256_that_is_not_64_lowercase_hex_characters_naming_the_input() {
            assertInvalid(() -> new JobSpec.InputRef("scene.blend", SCENE_SHA.toUpperCase(), 1))
                    .hasMessageContaining("inputs.scene.blend.sha256 must be a SHA-256 as 64 lowercase hex characters");
            assertInvalid(() -> new JobSpec.InputRef("scene.blend", SCENE_SHA.substring(2), 1))
                    .hasMessageContaining("inputs.scene.blend.sha256");
            assertInvalid(() -> new JobSpec.InputRef("scene.blend", null, 1))
                    .hasMessageContaining("inputs.scene.blend.sha256");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"../etc/passwd", "dir/file", ".hidden", "a b"})
        void rejects_a_name_that_is_not_a_plain_file_name(String name) {
            assertInvalid(() -> new JobSpec.InputRef(name, SCENE_SHA, 1))
                    .hasMessageContaining("inputs: name must be a plain file name");
        }

        @Test
        void rejects_a_name_longer_than_128_characters() {
            assertThat(new JobSpec.InputRef("x".repeat(128), SCENE_SHA, 1).name()).hasSize(128);
            assertInvalid(() -> new JobSpec.InputRef("x".repeat(129), SCENE_SHA, 1))
                    .hasMessageContaining("inputs: name must be a plain file name");
        }

        @Test
        void rejects_a_negative_size_or_one_beyond_a_tebibyte() {
            assertInvalid(() -> new JobSpec.InputRef("a.bin", SCENE_SHA, -1)).hasMessageContaining("inputs.a.bin.sizeBytes");
            assertInvalid(() -> new JobSpec.InputRef("a.bin", SCENE_SHA, (1L << 40) + 1))
                    .hasMessageContaining("inputs.a.bin.sizeBytes");
            assertThat(new JobSpec.InputRef("a.bin", SCENE_SHA, 1L << 40).sizeBytes()).isEqualTo(1L << 40);
        }

        @Test
        void rejects_two_inputs_with_the_same_name() {
            var inputs = List.of(new JobSpec.InputRef("data.csv", SCENE_SHA, 1),
                    new JobSpec.InputRef("data.csv", sha256Hex("other"), 2));

            assertInvalid(() -> jobSpecBuilder("job-1").inputs(inputs).build())
                    .hasMessage("inputs: duplicate name 'data.csv'");
        }

        @Test
        void accepts_the_same_object_under_two_names() {
            var inputs = List.of(new JobSpec.InputRef("a.csv", SCENE_SHA, 1), new JobSpec.InputRef("b.csv", SCENE_SHA, 1));

            assertThat(jobSpecBuilder("job-1").inputs(inputs).build().inputs()).hasSize(2);
        }

        @Test
        void rejects_a_null_input() {
            assertInvalid(() -> jobSpecBuilder("job-1").inputs(Arrays.asList((JobSpec.InputRef) null)).build())
                    .hasMessage("inputs must not contain null");
        }

        @Test
        void accepts_256_inputs_but_not_257() {
            assertThat(jobSpecBuilder("job-1").inputs(inputs(256)).build().inputs()).hasSize(256);
            assertInvalid(() -> jobSpecBuilder("job-1").inputs(inputs(257)).build()).hasMessage("at most 256 inputs");
        }

        private List<JobSpec.InputRef> inputs(int count) {
            var inputs = new ArrayList<JobSpec.InputRef>();
            for (int i = 0; i < count; i++) {
                inputs.add(new JobSpec.InputRef("in-" + i, SCENE_SHA, 1));
            }
            return inputs;
        }
    }

    @Nested
    class Environment {

        @ParameterizedTest
        @ValueSource(strings = {"PATH", "_PRIVATE", "lower_case", "A1"})
        void accepts_shell_variable_names(String name) {
            assertThat(jobSpecBuilder("job-1").env(Map.of(name, "v")).build().env()).containsKey(name);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "1ABC", "A-B", "A B", "A=B", "ÄRGER"})
        void rejects_other_names(String name) {
            assertInvalid(() -> jobSpecBuilder("job-1").env(Map.of(name, "v")).build())
                    .hasMessage("env: invalid variable name '" + name + "'");
        }

        @Test
        void rejects_a_null_name() {
            var env = new HashMap<String, String>();
            env.put(null, "v");

            assertInvalid(() -> jobSpecBuilder("job-1").env(env).build()).hasMessage("env: invalid variable name 'null'");
        }

        @Test
        void rejects_a_null_value_or_one_longer_than_4096_characters() {
            var env = new HashMap<String, String>();
            env.put("KEY", null);

            assertInvalid(() -> jobSpecBuilder("job-1").env(env).build())
                    .hasMessage("env: value of KEY must be at most 4096 characters");
            assertInvalid(() -> jobSpecBuilder("job-1").env(Map.of("KEY", "x".repeat(4_097))).build())
                    .hasMessageContaining("env: value of KEY");
        }

        @Test
        void accepts_128_variables_but_not_129() {
            assertThat(jobSpecBuilder("job-1").env(env(128)).build().env()).hasSize(128);
            assertInvalid(() -> jobSpecBuilder("job-1").env(env(129)).build())
                    .hasMessage("at most 128 environment variables");
        }

        private Map<String, String> env(int count) {
            var env = new HashMap<String, String>();
            for (int i = 0; i < count; i++) {
                env.put("VAR_" + i, "v");
            }
            return env;
        }
    }

    @Nested
    class Command {

        @Test
        void accepts_256_arguments_but_not_257() {
            assertThat(jobSpecBuilder("job-1").command(Collections.nCopies(256, "x")).build().command()).hasSize(256);
            assertInvalid(() -> jobSpecBuilder("job-1").command(Collections.nCopies(257, "x")).build())
                    .hasMessage("command has more than 256 arguments");
        }

        @Test
        void rejects_a_null_argument_or_one_longer_than_4096_characters() {
            assertInvalid(() -> jobSpecBuilder("job-1").command(Arrays.asList("run", null)).build())
                    .hasMessage("command arguments must be non-null and at most 4096 characters");
            assertInvalid(() -> jobSpecBuilder("job-1").command(List.of("x".repeat(4_097))).build())
                    .hasMessageContaining("command arguments");
        }
    }

    @Nested
    class Terms {

        @Test
        void requires_resources_and_verification() {
            assertInvalid(() -> jobSpecBuilder("job-1").resources(null).build()).hasMessage("resources is required");
            assertInvalid(() -> jobSpecBuilder("job-1").verification(null).build()).hasMessage("verification is required");
        }

        @Test
        void bounds_the_maximum_unit_price() {
            assertInvalid(() -> jobSpecBuilder("job-1").maxUnitPrice(0).build())
                    .hasMessage("maxUnitPrice must be between 1 and 1000000000000, got 0");
            assertInvalid(() -> jobSpecBuilder("job-1").maxUnitPrice(Pricing.MAX_UNIT_PRICE + 1).build())
                    .hasMessageContaining("maxUnitPrice");
        }

        @Test
        void bounds_the_timeout_to_thirty_days() {
            assertInvalid(() -> jobSpecBuilder("job-1").timeoutSeconds(0).build()).hasMessageContaining("timeoutSeconds");
            assertInvalid(() -> jobSpecBuilder("job-1").timeoutSeconds(JobSpec.MAX_TIMEOUT_SECONDS + 1).build())
                    .hasMessage("timeoutSeconds must be between 1 and 2592000, got 2592001");
        }

        @Test
        void bounds_the_reputation_floor_to_per_mille() {
            assertInvalid(() -> jobSpecBuilder("job-1").minReputation(-1).build()).hasMessageContaining("minReputation");
            assertInvalid(() -> jobSpecBuilder("job-1").minReputation(1_001).build()).hasMessageContaining("minReputation");
            assertThat(jobSpecBuilder("job-1").minReputation(1_000).build().minReputation()).isEqualTo(1_000);
        }

        @Test
        void requires_a_deadline() {
            assertInvalid(() -> jobSpecBuilder("job-1").deadline(0).build()).hasMessage("deadline (epoch seconds) is required");
            assertInvalid(() -> jobSpecBuilder("job-1").deadline(-5).build()).hasMessageContaining("deadline");
        }
    }
}
