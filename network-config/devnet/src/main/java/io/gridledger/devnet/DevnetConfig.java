package io.gridledger.devnet;

import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.orderer.BatchSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run a devnet.
 *
 * @param fabricDir      the real network's definition ({@code network-config/fabric}): crypto-config.yaml,
 *                       provider-nodes.yaml, configtx.yaml and chaincode/definition.yaml are read from it
 * @param dataDir        where identities, blocks and the connection file live; reused on restart
 * @param orgs           number of member orgs (0 = as many as crypto-config.yaml lists)
 * @param host           the loopback address peers listen on
 * @param basePort       the first peer's port; peer i listens on {@code basePort + i}, the orderer on
 *                       {@code basePort - 1}; 0 picks free ports
 * @param batch          block cutting
 * @param chaincodes     chaincodes to host (empty = the one in chaincode/definition.yaml)
 * @param executeTimeout how long a chaincode invocation may run
 * @param tls            whether peers serve TLS, with their {@code tls/server.crt} issued by the org's TLS CA
 */
public record DevnetConfig(Path fabricDir, Path dataDir, int orgs, String host, int basePort, BatchSettings batch,
                           List<ChaincodeDefinition> chaincodes, Duration executeTimeout, boolean tls) {

    public DevnetConfig {
        Objects.requireNonNull(fabricDir, "fabricDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(batch, "batch");
        chaincodes = List.copyOf(chaincodes);
        if (orgs < 0 || orgs > 20) {
            throw new IllegalArgumentException("orgs must be between 1 and 20 (0 = from crypto-config.yaml), got " + orgs);
        }
        if (basePort < 0 || basePort == 1 || basePort > 65535 - Math.max(orgs, 20)) {
            throw new IllegalArgumentException("base port out of range: " + basePort);
        }
    }

    /** Defaults for a local consortium: orgs and chaincode from the files, peers from port 7051. */
    public static DevnetConfig defaults(Path fabricDir, Path dataDir) {
        return new DevnetConfig(fabricDir, dataDir, 0, "127.0.0.1", 7051, BatchSettings.DEFAULT, List.of(),
                Duration.ofSeconds(30), false);
    }

    public DevnetConfig withBasePort(int port) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, port, batch, chaincodes, executeTimeout, tls);
    }

    public DevnetConfig withOrgs(int count) {
        return new DevnetConfig(fabricDir, dataDir, count, host, basePort, batch, chaincodes, executeTimeout, tls);
    }

    public DevnetConfig withBatch(BatchSettings settings) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, settings, chaincodes, executeTimeout, tls);
    }

    public DevnetConfig withChaincodes(List<ChaincodeDefinition> definitions) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, batch, definitions, executeTimeout, tls);
    }

    public DevnetConfig withTls(boolean enabled) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, batch, chaincodes, executeTimeout, enabled);
    }

    public DevnetConfig withExecuteTimeout(Duration timeout) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, batch, chaincodes, timeout, tls);
    }
}
