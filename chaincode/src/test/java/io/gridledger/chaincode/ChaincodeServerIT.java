package io.gridledger.chaincode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged chaincode jar runs as chaincode-as-a-service on the address Fabric's ccaas builder gives it. */
class ChaincodeServerIT {

    private Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void the_jar_serves_the_chaincode_protocol_on_CHAINCODE_SERVER_ADDRESS() throws IOException {
        var jar = Path.of("target", "gridledger-chaincode.jar");
        assertThat(jar).exists();
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var log = Files.createTempFile("chaincode", ".log");
        var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CHAINCODE_SERVER_ADDRESS", "127.0.0.1:" + port);
        builder.environment().put("CORE_CHAINCODE_ID_NAME", "gridledger:1.0");
        process = builder.start();

        int listening = port;
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(java.net.ConnectException.class).untilAsserted(() -> {
            assertThat(process.isAlive()).as("chaincode exited: %s", Files.readString(log)).isTrue();
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", listening), 500);
            }
        });
        assertThat(process.isAlive()).isTrue();
    }
}
