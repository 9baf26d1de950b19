package io.gridledger.devnet;

import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.orderer.BatchOverrides;
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
 * @param batch          block cutting: what differs from the profile's {@code BatchTimeout} and {@code BatchSize}
 * @param chaincodes     chaincodes to host (empty = the one in chaincode/definition.yaml)
 * @param executeTimeout how long a chaincode invocation may run
 * @param tls            whether peers serve TLS, with their {@code tls/server.crt} issued by the org's TLS CA
 * @param channel        the channel's name (as {@code configtxgen -channelID} and network.sh's {@code CHANNEL})
 * @param profile        the profile of configtx.yaml the channel is built from (as {@code configtxgen -profile})
 */
public record DevnetConfig(Path fabricDir, Path dataDir, int orgs, String host, int basePort, BatchOverrides batch,
                           List<ChaincodeDefinition> chaincodes, Duration executeTimeout, boolean tls,
                           String channel, String profile) {

    public DevnetConfig {
        Objects.requireNonNull(fabricDir, "fabricDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(batch, "batch");
        chaincodes = List.copyOf(chaincodes);
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(profile, "profile");
        // Fabric's channel names: lower case letters, digits, dots and dashes, starting with a letter, under 250.
        if (!channel.matches("[a-z][a-z0-9.-]{0,248}")) {
            throw new IllegalArgumentException("channel name '" + channel + "' is not one Fabric accepts: "
                    + "[a-z][a-z0-9.-]*, fewer than 250 characters");
        }
        if (profile.isBlank()) {
            throw new IllegalArgumentException("the configtx.yaml profile must be named");
        }
        if (orgs < 0 || orgs > 20) {
            throw new IllegalArgumentException("orgs must be between 1 and 20 (0 = from crypto-config.yaml), got " + orgs);
        }
        if (basePort < 0 || basePort == 1 || basePort > 65535 - Math.max(orgs, 20)) {
            throw new IllegalArgumentException("base port out of range: " + basePort);
        }
    }

    /** The channel network.sh creates, and its configtx.yaml profile. */
    public static final String DEFAULT_CHANNEL = "gridledger";
    public static final String DEFAULT_PROFILE = "GridLedgerChannel";

    /**
     * Defaults for a local consortium: orgs and chaincode from the files, peers from port 7051, the channel
     * {@value #DEFAULT_CHANNEL} of profile {@value #DEFAULT_PROFILE}, as network.sh creates it.
     */
    public static DevnetConfig defaults(Path fabricDir, Path dataDir) {
        return new DevnetConfig(fabricDir, dataDir, 0, "127.0.0.1", 7051, BatchOverrides.NONE, List.of(),
                Duration.ofSeconds(30), false, DEFAULT_CHANNEL, DEFAULT_PROFILE);
    }

    /** The channel {@code name}, built from configtx.yaml's profile {@code profile}. */
    public DevnetConfig withChannel(String name, String profile) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, batch, chaincodes, executeTimeout, tls, name, profile);
    }

    public DevnetConfig withBasePort(int port) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, port, batch, chaincodes, executeTimeout, tls, channel, profile);
    }

    public DevnetConfig withOrgs(int count) {
        return new DevnetConfig(fabricDir, dataDir, count, host, basePort, batch, chaincodes, executeTimeout, tls, channel, profile);
    }

    /** Block cutting as {@code settings} say, whatever configtx.yaml says. */
    public DevnetConfig withBatch(BatchSettings settings) {
        return withBatch(BatchOverrides.all(settings));
    }

    /** Block cutting as configtx.yaml says, but for {@code overrides}. */
    public DevnetConfig withBatch(BatchOverrides overrides) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, overrides, chaincodes, executeTimeout, tls, channel, profile);
    }

    public DevnetConfig withChaincodes(List<ChaincodeDefinition> definitions) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, batch, definitions, executeTimeout, tls, channel, profile);
    }

    public DevnetConfig withTls(boolean enabled) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, batch, chaincodes, executeTimeout, enabled, channel, profile);
    }

    public DevnetConfig withExecuteTimeout(Duration timeout) {
        return new DevnetConfig(fabricDir, dataDir, orgs, host, basePort, batch, chaincodes, timeout, tls, channel, profile);
    }
}
