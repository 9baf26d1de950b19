package io.gridledger.chaincode.domain;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import static io.gridledger.chaincode.domain.Fixtures.cpuNeed;
import static io.gridledger.chaincode.domain.Fixtures.cpuSlot;
import static io.gridledger.chaincode.domain.Fixtures.gpuNeed;
import static io.gridledger.chaincode.domain.Fixtures.gpuSlot;
import static io.gridledger.chaincode.domain.Fixtures.resourcesBuilder;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourcesTest {

    @Nested
    class ResourceClass {

        @Test
        void is_the_architecture_and_cpu_for_resources_without_gpus() {
            assertThat(cpuSlot().resourceClass()).isEqualTo("amd64/cpu");
            assertThat(resourcesBuilder().arch("arm64").build().resourceClass()).isEqualTo("arm64/cpu");
        }

        @Test
        void is_the_architecture_and_gpu_model_for_resources_with_gpus() {
            assertThat(gpuSlot().resourceClass()).isEqualTo("amd64/nvidia-a100");
            assertThat(resourcesBuilder().gpu(4, "amd-mi300x").build().resourceClass()).isEqualTo("amd64/amd-mi300x");
        }

        @Test
        void does_not_depend_on_the_amounts() {
            assertThat(gpuNeed().resourceClass()).isEqualTo(gpuSlot().resourceClass());
            assertThat(cpuNeed().resourceClass()).isEqualTo(cpuSlot().resourceClass());
        }
    }

    @Nested
    class Shortfall {

        private final Resources need = resourcesBuilder().cpuMillis(2_000).memoryMiB(4_096).gpu(1, "nvidia-a100")
                .storageMiB(10_000).label("region", "eu-west").build();

        @Test
        void is_empty_when_the_slot_has_everything() {
            assertThat(need.shortfallOn(gpuSlot())).isEmpty();
        }

        @Test
        void is_empty_when_the_slot_has_exactly_what_is_needed() {
            assertThat(need.shortfallOn(need)).isEmpty();
        }

        @Test
        void ignores_labels_the_job_does_not_ask_for() {
            var slot = resourcesBuilder().label("region", "eu-west").label("disk", "nvme").build();
            var plain = resourcesBuilder().label("region", "eu-west").build();

            assertThat(plain.shortfallOn(slot)).isEmpty();
        }

        @Test
        void names_a_different_architecture_as_a_class_mismatch() {
            var slot = resourcesBuilder().cpuMillis(64_000).memoryMiB(1 << 20).arch("arm64").build();

            assertThat(cpuNeed().shortfallOn(slot)).hasValue("class arm64/cpu instead of amd64/cpu");
        }

        @Test
        void names_a_different_gpu_model_as_a_class_mismatch() {
            var slot = resourcesBuilder().cpuMillis(64_000).memoryMiB(1 << 20).gpu(8, "nvidia-h100").storageMiB(1 << 20)
                    .label("region", "eu-west").build();

            assertThat(need.shortfallOn(slot)).hasValue("class amd64/nvidia-h100 instead of amd64/nvidia-a100");
        }

        @Test
        void does_not_offer_a_gpu_slot_to_a_cpu_job() {
            assertThat(cpuNeed().shortfallOn(gpuSlot())).hasValue("class amd64/nvidia-a100 instead of amd64/cpu");
        }

        @Test
        void names_missing_cpu() {
            assertThat(need.shortfallOn(slot(1_999, 4_096, 1, 10_000))).hasValue("cpuMillis 1999 < 2000");
        }

        @Test
        void names_missing_memory() {
            assertThat(need.shortfallOn(slot(2_000, 4_095, 1, 10_000))).hasValue("memoryMiB 4095 < 4096");
        }

        @Test
        void names_missing_gpus() {
            var twoGpus = resourcesBuilder().gpu(2, "nvidia-a100").build();

            assertThat(twoGpus.shortfallOn(resourcesBuilder().gpu(1, "nvidia-a100").build())).hasValue("gpuCount 1 < 2");
        }

        @Test
        void names_missing_storage() {
            assertThat(need.shortfallOn(slot(2_000, 4_096, 1, 9_999))).hasValue("storageMiB 9999 < 10000");
        }

        @Test
        void names_a_missing_label() {
            var unlabelled = resourcesBuilder().cpuMillis(2_000).memoryMiB(4_096).gpu(1, "nvidia-a100").storageMiB(10_000).build();

            assertThat(need.shortfallOn(unlabelled)).hasValue("label region=eu-west missing");
        }

        @Test
        void names_a_label_with_another_value_as_missing() {
            var elsewhere = resourcesBuilder().cpuMillis(2_000).memoryMiB(4_096).gpu(1, "nvidia-a100").storageMiB(10_000)
                    .label("region", "us-east").build();

            assertThat(need.shortfallOn(elsewhere)).hasValue("label region=eu-west missing");
        }

        @Test
        void names_the_first_shortfall_in_a_fixed_order() {
            var poor = resourcesBuilder().cpuMillis(1).memoryMiB(1).gpu(1, "nvidia-a100").storageMiB(0).build();

            assertThat(need.shortfallOn(poor)).hasValue("cpuMillis 1 < 2000");
        }

        private Resources slot(long cpuMillis, long memoryMiB, int gpus, long storageMiB) {
            return resourcesBuilder().cpuMillis(cpuMillis).memoryMiB(memoryMiB).gpu(gpus, "nvidia-a100")
                    .storageMiB(storageMiB).label("region", "eu-west").build();
        }
    }

    @Nested
    class Normalisation {

        @Test
        void treats_a_missing_gpu_model_as_none() {
            assertThat(new Resources(1_000, 1_024, 0, null, 0, "amd64", Map.of()).gpuModel()).isEmpty();
        }

        @Test
        void treats_missing_labels_as_none() {
            assertThat(new Resources(1_000, 1_024, 0, "", 0, "amd64", null).labels()).isEmpty();
        }

        @Test
        void sorts_labels_by_key_and_makes_them_immutable() {
            var labels = new LinkedHashMap<String, String>();
            labels.put("zone", "b");
            labels.put("region", "eu-west");
            labels.put("disk", "nvme");

            var resources = resourcesBuilder().labels(labels).build();

            assertThat(resources.labels().keySet()).containsExactly("disk", "region", "zone");
            assertThatThrownBy(() -> resources.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
            labels.put("added", "later");
            assertThat(resources.labels()).doesNotContainKey("added");
        }

        @Test
        void is_equal_whatever_the_order_labels_were_given_in() {
            var one = new HashMap<String, String>();
            one.put("a", "1");
            one.put("b", "2");
            var other = new TreeMap<String, String>(java.util.Comparator.reverseOrder());
            other.putAll(one);

            assertThat(resourcesBuilder().labels(one).build()).isEqualTo(resourcesBuilder().labels(other).build());
        }
    }

    @Nested
    class Validation {

        @Test
        void rejects_zero_cpu() {
            assertInvalid(() -> resourcesBuilder().cpuMillis(0).build())
                    .hasMessage("cpuMillis must be between 1 and 1024000, got 0");
        }

        @Test
        void rejects_negative_cpu() {
            assertInvalid(() -> resourcesBuilder().cpuMillis(-1_000).build()).hasMessageContaining("cpuMillis");
        }

        @Test
        void rejects_cpu_beyond_the_maximum() {
            assertInvalid(() -> resourcesBuilder().cpuMillis(Resources.MAX_CPU_MILLIS + 1).build())
                    .hasMessageContaining("cpuMillis");
        }

        @Test
        void rejects_zero_or_negative_memory() {
            assertInvalid(() -> resourcesBuilder().memoryMiB(0).build()).hasMessageContaining("memoryMiB");
            assertInvalid(() -> resourcesBuilder().memoryMiB(-1).build()).hasMessageContaining("memoryMiB");
        }

        @Test
        void rejects_a_negative_gpu_count_or_more_gpus_than_the_maximum() {
            assertInvalid(() -> resourcesBuilder().gpu(-1, "").build()).hasMessageContaining("gpuCount");
            assertInvalid(() -> resourcesBuilder().gpu(Resources.MAX_GPUS + 1, "nvidia-a100").build())
                    .hasMessageContaining("gpuCount");
        }

        @Test
        void rejects_negative_storage_but_accepts_none() {
            assertInvalid(() -> resourcesBuilder().storageMiB(-1).build()).hasMessageContaining("storageMiB");
            assertThat(resourcesBuilder().storageMiB(0).build().storageMiB()).isZero();
        }

        @Test
        void rejects_a_gpu_model_without_gpus() {
            assertInvalid(() -> resourcesBuilder().gpu(0, "nvidia-a100").build())
                    .hasMessage("gpuModel must be empty when gpuCount is 0");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"NVIDIA-A100", "nvidia a100", "-nvidia", "nvidia/a100"})
        void rejects_gpus_without_a_valid_model(String model) {
            assertInvalid(() -> resourcesBuilder().gpu(1, model).build())
                    .hasMessageContaining("gpuModel is required when gpuCount > 0");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"AMD64", "x86 64", "_arm", "arm64!"})
        void rejects_an_invalid_architecture(String arch) {
            assertInvalid(() -> resourcesBuilder().arch(arch).build())
                    .hasMessageContaining("arch must be a lowercase token such as amd64");
        }

        @Test
        void accepts_thirty_two_labels_but_not_thirty_three() {
            assertThat(resourcesBuilder().labels(labels(32)).build().labels()).hasSize(32);
            assertInvalid(() -> resourcesBuilder().labels(labels(33)).build()).hasMessage("at most 32 labels");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "-region", "a key", "region=eu"})
        void rejects_an_invalid_label_key(String key) {
            assertInvalid(() -> resourcesBuilder().label(key, "x").build())
                    .hasMessage("label key '" + key + "' is not a valid label key");
        }

        @Test
        void accepts_label_keys_with_a_prefix() {
            assertThat(resourcesBuilder().label("gridledger.io/tier", "gold").build().labels())
                    .containsEntry("gridledger.io/tier", "gold");
        }

        @Test
        void rejects_a_null_label_value_or_one_longer_than_128_characters() {
            assertInvalid(() -> resourcesBuilder().label("region", null).build())
                    .hasMessageContaining("label 'region' needs a value of at most 128 characters");
            assertInvalid(() -> resourcesBuilder().label("region", "x".repeat(129)).build())
                    .hasMessageContaining("label 'region'");
            assertThat(resourcesBuilder().label("region", "x".repeat(128)).build().labels()).containsKey("region");
        }

        private Map<String, String> labels(int count) {
            var labels = new TreeMap<String, String>();
            for (int i = 0; i < count; i++) {
                labels.put("label-" + i, "v");
            }
            return labels;
        }
    }
}
