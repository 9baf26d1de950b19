package io.gridledger.devnet;

import io.gridledger.devnet.chaincode.ChaincodeAddresses;
import io.gridledger.devnet.chaincode.ChaincodeDefinitions;
import io.gridledger.devnet.orderer.BatchSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code devnet up [options]}: starts a devnet and runs until interrupted. Options:
 * <pre>
 *   --fabric-dir DIR        network definition (default network-config/fabric)
 *   --data-dir DIR          identities, blocks, connection.json (default target/devnet)
 *   --orgs N                member orgs (default: as in crypto-config.yaml)
 *   --port P                first peer port; peer i listens on P+i, the orderer on P-1 (default 7051);
 *                           0 = any free ports
 *   --batch-timeout D       block cut timeout, e.g. 250ms or 2s (default 250ms)
 *   --batch-size N          max transactions per block (default 100)
 *   --tls                   peers and orderer serve TLS with their tls/server.crt (clients trust the org's TLS CA)
 *   --chaincode-address A   the chaincode servers, instead of the addresses in chaincode/definition.yaml:
 *                           HOST:PORT, one server every org's peer dials, or
 *                           Org1MSP=HOST:PORT,Org2MSP=HOST:PORT,... one per org, each dialled by its own org's peer
 *                           (*=HOST:PORT for the orgs not named)
 *   --help                  this text
 * </pre>
 * Each org's chaincode server (definition.yaml's {@code Address.<MSP ID>} or {@code Address}, or
 * {@code --chaincode-address}) must be running (or started alongside, as {@code ./gridledger up} does: one per org,
 * each with {@code CORE_PEER_LOCALMSPID} of its org); devnet waits for them to register.
 *
 * <p>Readiness: once the peers listen, {@code connection.json} in the data directory is (re)written with their
 * actual addresses (the only way to learn them with {@code --port 0}) and the users' key files; once the chaincode
 * has registered, a line starting with {@code devnet ready} goes to stderr. A stale {@code connection.json} from an
 * earlier run is removed first, so its presence means this run's peers are up.
 *
 * <pre>
 *   java -jar gridledger-devnet.jar up --data-dir /tmp/dn --port 0 --chaincode-address 127.0.0.1:9998
 *   java -jar gridledger-devnet.jar up --chaincode-address Org1MSP=127.0.0.1:9991,Org2MSP=127.0.0.1:9992,Org3MSP=127.0.0.1:9993
 * </pre>
 */
public final class DevnetMain {

    private DevnetMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("up")) {
            usage("expected the command 'up'");
        }
        var fabricDir = Path.of("network-config/fabric");
        var dataDir = Path.of("target/devnet");
        int orgs = 0;
        int port = 7051;
        var batch = BatchSettings.DEFAULT;
        boolean tls = false;
        ChaincodeAddresses chaincodeAddresses = null;
        for (int i = 1; i < args.length; i++) {
            var option = args[i];
            if (option.equals("--tls")) {
                tls = true;
                continue;
            }
            if (option.equals("--help") || option.equals("-h")) {
                System.err.println(USAGE);
                System.exit(0);
            }
            if (i + 1 >= args.length) {
                usage("option " + option + " needs a value");
            }
            var value = args[++i];
            try {
                switch (option) {
                    case "--fabric-dir" -> fabricDir = Path.of(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--orgs" -> orgs = Integer.parseInt(value);
                    case "--port" -> port = Integer.parseInt(value);
                    case "--batch-timeout" -> batch = new BatchSettings(duration(value), batch.maxMessageCount(),
                            batch.preferredMaxBytes(), batch.absoluteMaxBytes());
                    case "--batch-size" -> batch = new BatchSettings(batch.timeout(), Integer.parseInt(value),
                            batch.preferredMaxBytes(), batch.absoluteMaxBytes());
                    case "--chaincode-address" -> chaincodeAddresses = ChaincodeAddresses.parse(value);
                    default -> usage("unknown option " + option);
                }
            } catch (IllegalArgumentException e) {
                usage("bad value '" + value + "' for " + option + ": " + e.getMessage());
            }
        }
        var config = DevnetConfig.defaults(fabricDir, dataDir).withOrgs(orgs).withBasePort(port).withBatch(batch)
                .withTls(tls);
        if (chaincodeAddresses != null) {
            var definition = ChaincodeDefinitions.read(fabricDir.resolve("chaincode/definition.yaml"));
            config = config.withChaincodes(List.of(definition.withAddresses(chaincodeAddresses)));
        }
        var devnet = Devnet.start(config);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            devnet.close();
            stopped.countDown();
        }, "devnet-shutdown"));
        devnet.awaitChaincodes(Duration.ofSeconds(60));
        System.err.println("devnet ready: channel " + devnet.channelName() + ", peers "
                + devnet.memberOrgs().stream().map(o -> o + "=" + devnet.peerAddress(o)).toList()
                + ", orderer " + devnet.ordererAddress()
                + ", connection details in " + devnet.connectionFile().toAbsolutePath());
        stopped.await();
    }

    static Duration duration(String text) {
        var t = text.strip();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        throw new IllegalArgumentException("durations look like 250ms or 2s");
    }

    private static final String USAGE = """
            usage: devnet up [--fabric-dir DIR] [--data-dir DIR] [--orgs N] [--port P] [--batch-timeout 250ms] \
            [--batch-size 100] [--tls] [--chaincode-address HOST:PORT | --chaincode-address Org1MSP=HOST:PORT,...]
              --chaincode-address HOST:PORT                 one chaincode server, dialled by every org's peer
              --chaincode-address Org1MSP=HOST:PORT,...     one per org, each dialled by its own org's peer
              (default: Address.<MSP ID> / Address in chaincode/definition.yaml)""";

    private static void usage(String problem) {
        System.err.println("devnet: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
