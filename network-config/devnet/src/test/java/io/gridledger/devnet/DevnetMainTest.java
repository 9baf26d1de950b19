package io.gridledger.devnet;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DevnetMainTest {

    @Test
    void a_chaincode_address_is_a_host_and_a_port() {
        assertThat(DevnetMain.hostAndPort("127.0.0.1:9998")).isEqualTo("127.0.0.1:9998");
        assertThat(DevnetMain.hostAndPort("chaincode.local:7052")).isEqualTo("chaincode.local:7052");
    }

    @Test
    void a_chaincode_address_without_a_usable_port_is_refused() {
        assertThatThrownBy(() -> DevnetMain.hostAndPort("127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DevnetMain.hostAndPort(":9999")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DevnetMain.hostAndPort("127.0.0.1:http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DevnetMain.hostAndPort("127.0.0.1:70000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durations_are_read_in_milliseconds_or_seconds() {
        assertThat(DevnetMain.duration("100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(DevnetMain.duration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    }
}
