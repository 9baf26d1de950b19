package io.gridledger.chaincode.domain;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static io.gridledger.chaincode.domain.Fixtures.resourcesBuilder;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

class ResourceUnitsTest {

    @Test
    void weighs_each_resource_by_its_micro_units_and_adds_them_up() {
        var resources = resourcesBuilder().cpuMillis(2_000).memoryMiB(1_024).gpu(1, "nvidia-a100").storageMiB(100).build();

        long micro = ResourceUnits.DEFAULT.microUnits(resources);

        assertThat(micro).isEqualTo(2_000 * 1_000 + 1_024 * 244 + 10_000_000 + 100);
    }

    @Test
    void makes_one_core_one_resource_unit_and_one_gpu_ten_by_default() {
        var units = new ResourceUnits(1_000, 0, 10_000_000, 0);

        assertThat(units.microUnits(resourcesBuilder().cpuMillis(1_000).build())).isEqualTo(ResourceUnits.MICRO);
        assertThat(units.microUnits(resourcesBuilder().cpuMillis(1_000).gpu(1, "nvidia-a100").build()))
                .isEqualTo(11 * ResourceUnits.MICRO);
    }

    @Test
    void ignores_a_resource_whose_weight_is_zero() {
        var cpuOnly = new ResourceUnits(1_000, 0, 0, 0);

        var small = resourcesBuilder().memoryMiB(1).storageMiB(0).build();
        var large = resourcesBuilder().memoryMiB(1_000_000).storageMiB(1_000_000).gpu(8, "nvidia-a100").build();

        assertThat(cpuOnly.microUnits(small)).isEqualTo(cpuOnly.microUnits(large));
    }

    @Test
    void is_exact_without_overflow_for_the_largest_resources_and_weights() {
        var max = new ResourceUnits(1_000_000, 1_000_000, 1_000_000_000, 1_000_000);
        var largest = resourcesBuilder().cpuMillis(Resources.MAX_CPU_MILLIS).memoryMiB(Resources.MAX_MEMORY_MIB)
                .gpu(Resources.MAX_GPUS, "nvidia-a100").storageMiB(Resources.MAX_STORAGE_MIB).build();

        var expected = BigInteger.valueOf(Resources.MAX_CPU_MILLIS).multiply(BigInteger.valueOf(1_000_000))
                .add(BigInteger.valueOf(Resources.MAX_MEMORY_MIB).multiply(BigInteger.valueOf(1_000_000)))
                .add(BigInteger.valueOf(Resources.MAX_GPUS).multiply(BigInteger.valueOf(1_000_000_000)))
                .add(BigInteger.valueOf(Resources.MAX_STORAGE_MIB).multiply(BigInteger.valueOf(1_000_000)));
        assertThat(BigInteger.valueOf(max.microUnits(largest))).isEqualTo(expected);
    }

    @Test
    void rejects_negative_weights_naming_the_weight() {
        assertInvalid(() -> new ResourceUnits(-1, 244, 10_000_000, 1)).hasMessageContaining("units.microPerMillicore");
        assertInvalid(() -> new ResourceUnits(1_000, -1, 10_000_000, 1)).hasMessageContaining("units.microPerMemoryMiB");
        assertInvalid(() -> new ResourceUnits(1_000, 244, -1, 1)).hasMessageContaining("units.microPerGpu");
        assertInvalid(() -> new ResourceUnits(1_000, 244, 10_000_000, -1)).hasMessageContaining("units.microPerStorageMiB");
    }

    @Test
    void rejects_weights_above_their_bounds() {
        assertInvalid(() -> new ResourceUnits(1_000_001, 244, 10_000_000, 1))
                .hasMessage("units.microPerMillicore must be between 0 and 1000000, got 1000001");
        assertInvalid(() -> new ResourceUnits(1_000, 244, 1_000_000_001, 1))
                .hasMessage("units.microPerGpu must be between 0 and 1000000000, got 1000000001");
    }

    @Test
    void rejects_missing_resources() {
        assertInvalid(() -> ResourceUnits.DEFAULT.microUnits(null)).hasMessage("resources is required");
    }
}
