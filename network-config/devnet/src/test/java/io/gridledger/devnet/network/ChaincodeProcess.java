package io.gridledger.devnet.network;

import io.gridledger.devnet.chaincode.ChaincodeAddresses;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The unchanged GridLedger chaincode jar ({@code chaincode/target/gridledger-chaincode.jar}, built by the chaincode
 * module before devnet's tests run) started as a chaincode-as-a-service server in its own process for one member org,
 * as that org would run it: with {@code CORE_PEER_LOCALMSPID} of its org (what {@code stub.getMspId()} returns in the
 * chaincode), dialled by that org's peer only. The shared servers, one per org, start once per test JVM: the
 * contract router's class scan takes seconds, and devnet reconnects to them across restarts.
 *
 * <pre>{@code
 * var addresses = ChaincodeProcess.sharedAddresses(List.of("Org1MSP", "Org2MSP", "Org3MSP"));
 * new ChaincodeDefinition("gridledger", "1.0", 1, "/Channel/Application/Endorsement", addresses);
 * }</pre>
 */
public final class ChaincodeProcess {

    private static final Map<String, ChaincodeProcess> SHARED = new LinkedHashMap<>();

    private final Process process;
    private final String mspId;
    private final String address;
    private final Path log;

    private ChaincodeProcess(Process process, String mspId, String address, Path log) {
        this.process = process;
        this.mspId = mspId;
        this.address = address;
        this.log = log;
    }

    /** The shared {@code gridledger:1.0} server of {@code mspId}, started on first use (again if it died). */
    public static synchronized ChaincodeProcess shared(String mspId) {
        var current = SHARED.get(mspId);
        if (current == null || !current.process.isAlive()) {
            current = start("gridledger:1.0", mspId);
            SHARED.put(mspId, current);
            Runtime.getRuntime().addShutdownHook(new Thread(current.process::destroyForcibly));
        }
        return current;
    }

    /** The shared servers of these orgs, each its own org's. All are started before the first is waited for. */
    public static ChaincodeAddresses sharedAddresses(Collection<String> mspIds) {
        return addresses(mspIds.stream().map(ChaincodeProcess::shared).toList());
    }

    /** Each process's address for its org's peer. */
    public static ChaincodeAddresses addresses(List<ChaincodeProcess> processes) {
        var byOrg = new LinkedHashMap<String, String>();
        processes.forEach(p -> byOrg.put(p.mspId(), p.address()));
        return ChaincodeAddresses.byOrg(byOrg);
    }

    /**
     * Another server of the same jar for {@code mspId}, registering as {@code chaincodeId} ({@code name:version});
     * stop it when done.
     */
    public static ChaincodeProcess start(String chaincodeId, String mspId) {
        var jar = Path.of("../../chaincode/target/gridledger-chaincode.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the chaincode module first (mvn -pl chaincode package)");
        }
        return launch(List.of("-jar", jar.toString()), chaincodeId, mspId);
    }

    /**
     * A chaincode-as-a-service server whose {@code main} is {@code mainClass} on this JVM's class path (a chaincode of
     * the test sources, say), registering as {@code chaincodeId} for {@code mspId}'s peer; stop it when done.
     */
    public static ChaincodeProcess startMain(String mainClass, String chaincodeId, String mspId) {
        return launch(List.of("-cp", System.getProperty("java.class.path"), mainClass), chaincodeId, mspId);
    }

    private static ChaincodeProcess launch(List<String> javaArgs, String chaincodeId, String mspId) {
        var address = "127.0.0.1:" + freePort();
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaArgs);
        var builder = new ProcessBuilder(command);
        builder.environment().put("CHAINCODE_SERVER_ADDRESS", address);
        builder.environment().put("CORE_CHAINCODE_ID_NAME", chaincodeId);
        builder.environment().put("CORE_PEER_LOCALMSPID", mspId);
        builder.redirectErrorStream(true);
        try {
            var log = Files.createTempFile("gridledger-chaincode-" + mspId + "-", ".log");
            builder.redirectOutput(log.toFile());
            return new ChaincodeProcess(builder.start(), mspId, address, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String address() {
        return address;
    }

    /** The org whose peer this server serves ({@code CORE_PEER_LOCALMSPID}). */
    public String mspId() {
        return mspId;
    }

    /** Where the server's output goes. */
    public Path log() {
        return log;
    }

    /** The chaincode server's process, e.g. to read the CPU time it used. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Kills the server (SIGKILL) and returns once it is gone. */
    public void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
