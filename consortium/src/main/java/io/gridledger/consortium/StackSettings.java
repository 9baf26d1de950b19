package io.gridledger.consortium;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a local consortium is made of and where it listens. Every port is a fixed default plus {@link #portOffset}, so
 * two stacks can run side by side ({@code --port-offset 100}) and a restarted stack keeps its addresses.
 *
 * <table>
 *   <tr><th>part</th><th>port (offset 0)</th></tr>
 *   <tr><td>devnet orderer, peers of org 1..n</td><td>7050, 7051..</td></tr>
 *   <tr><td>chaincode server of org i</td><td>9990 + i</td></tr>
 *   <tr><td>gateway-service (REST API, console) of org i</td><td>8080 + i</td></tr>
 *   <tr><td>provider agent of org i (health, metrics)</td><td>8090 + i</td></tr>
 *   <tr><td>Kafka of org i</td><td>9091 + i</td></tr>
 *   <tr><td>S3 object store of org i</td><td>9100 + i</td></tr>
 * </table>
 *
 * @param repository    the GridLedger checkout whose built jars run
 * @param dataDir       the one folder every part keeps its state in; starting again on it resumes the consortium
 * @param orgs          member orgs (Org1MSP..); devnet's crypto material has 3, more are generated
 * @param agentOrgs     how many orgs (the first ones) run a provider agent on the local container engine
 * @param portOffset    added to every default port
 * @param agentCapacity concurrent jobs per agent (slots)
 * @param engineSocket  the container engine's Docker-compatible API ({@code unix:///var/run/docker.sock})
 * @param jobImage      the image the demo and the end-to-end suite run ({@code gridledger/busybox@sha256:..})
 * @param batchTimeout  devnet's block cut timeout
 * @param restartCrashed whether a part that exits unexpectedly is started again (off in tests that kill parts)
 */
public record StackSettings(Path repository, Path dataDir, int orgs, int agentOrgs, int portOffset, int agentCapacity,
                            String engineSocket, String jobImage, String batchTimeout, boolean restartCrashed) {

    public StackSettings {
        if (orgs < 3) {
            throw new IllegalArgumentException("--orgs must be at least 3 (a replicated job needs three independent orgs), not " + orgs);
        }
        if (orgs > 9) {
            throw new IllegalArgumentException("--orgs must be at most 9 (each org's ports are 1 apart), not " + orgs);
        }
        if (agentOrgs < 0 || agentOrgs > orgs) {
            throw new IllegalArgumentException("--agents must be between 0 and --orgs (" + orgs + "), not " + agentOrgs);
        }
        if (portOffset < 0 || portOffset > 50_000) {
            throw new IllegalArgumentException("--port-offset must be between 0 and 50000, not " + portOffset);
        }
        if (agentCapacity < 1 || agentCapacity > 64) {
            throw new IllegalArgumentException("--agent-capacity must be between 1 and 64, not " + agentCapacity);
        }
        repository = repository.toAbsolutePath().normalize();
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The MSP IDs of the member orgs, in order. */
    public List<String> mspIds() {
        return java.util.stream.IntStream.rangeClosed(1, orgs).mapToObj(i -> "Org" + i + "MSP").toList();
    }

    /** The orgs that run a provider agent. */
    public List<String> agentMspIds() {
        return mspIds().subList(0, agentOrgs);
    }

    /** 1 for Org1MSP. */
    public static int index(String mspId) {
        return Integer.parseInt(mspId.substring(3, mspId.length() - 3));
    }

    public int ordererPort() {
        return 7050 + portOffset;
    }

    public int chaincodePort(String mspId) {
        return 9990 + index(mspId) + portOffset;
    }

    public int gatewayPort(String mspId) {
        return 8080 + index(mspId) + portOffset;
    }

    public int agentPort(String mspId) {
        return 8090 + index(mspId) + portOffset;
    }

    public int kafkaPort(String mspId) {
        return 9091 + index(mspId) + portOffset;
    }

    public int objectStorePort(String mspId) {
        return 9100 + index(mspId) + portOffset;
    }

    public String gatewayUrl(String mspId) {
        return "http://127.0.0.1:" + gatewayPort(mspId);
    }

    /** {@code org2} for Org2MSP: folder and file names. */
    public static String shortName(String mspId) {
        return mspId.replace("MSP", "").toLowerCase(Locale.ROOT);
    }

    public Path orgDir(String mspId) {
        return dataDir.resolve(shortName(mspId));
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path devnetDir() {
        return dataDir.resolve("devnet");
    }

    public Path stateFile() {
        return dataDir.resolve("consortium.json");
    }

    public Path jar(String relative) {
        return repository.resolve(relative);
    }
}
