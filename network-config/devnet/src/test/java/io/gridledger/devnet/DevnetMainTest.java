package io.gridledger.devnet;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DevnetMainTest {

    @Test
    void durations_are_read_in_milliseconds_or_seconds() {
        assertThat(DevnetMain.duration("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(DevnetMain.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    }
}
