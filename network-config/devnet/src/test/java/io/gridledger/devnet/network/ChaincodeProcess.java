package io.gridledger.devnet.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The unchanged GridLedger chaincode jar ({@code chaincode/target/gridledger-chaincode.jar}, built by the chaincode
 * module before devnet's tests run) started as a chaincode-as-a-service server in its own process, once per test
 * JVM: the contract router's class scan takes seconds, and devnet reconnects to it across restarts.
 */
public final class ChaincodeProcess {

    private static ChaincodeProcess shared;

    private final Process process;
    private final String address;

    private ChaincodeProcess(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    public static synchronized ChaincodeProcess shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start("gridledger:1.0");
            var instance = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroyForcibly));
        }
        return shared;
    }

    public String address() {
        return address;
    }

    /** Another server of the same jar, registering as {@code chaincodeId} ({@code name:version}); stop it when done. */
    public static ChaincodeProcess startAs(String chaincodeId) {
        return start(chaincodeId);
    }

    /** The chaincode server's process, e.g. to read the CPU time it used. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    public void stop() {
        process.destroyForcibly();
    }

    private static ChaincodeProcess start(String chaincodeId) {
        var jar = Path.of("../../chaincode/target/gridledger-chaincode.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the chaincode module first (mvn -pl chaincode package)");
        }
        var address = "127.0.0.1:" + freePort();
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(List.of(java, "-jar", jar.toString()));
        builder.environment().put("CHAINCODE_SERVER_ADDRESS", address);
        builder.environment().put("CORE_CHAINCODE_ID_NAME", chaincodeId);
        builder.redirectErrorStream(true);
        try {
            var log = Files.createTempFile("gridledger-chaincode", ".log");
            builder.redirectOutput(log.toFile());
            return new ChaincodeProcess(builder.start(), address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
