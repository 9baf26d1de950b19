package io.gridledger.devnet;

import io.gridledger.devnet.chaincode.ChaincodeAddresses;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.chaincode.ChaincodeDefinitions;
import io.gridledger.devnet.orderer.BatchOverrides;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 *   --batch-timeout D       block cut timeout, e.g. 250ms or 2s (default: the profile's Orderer BatchTimeout)
 *   --batch-size N          max transactions per block (default: the profile's Orderer BatchSize MaxMessageCount)
 *   --tls                   peers and orderer serve TLS with their tls/server.crt (clients trust the org's TLS CA)
 *   --channel NAME          the channel's name (default gridledger, network.sh's CHANNEL)
 *   --profile NAME          the configtx.yaml profile the channel is built from (default GridLedgerChannel)
 *   --chaincode FILE        host the chaincode FILE defines (definition.yaml's format); repeat for several
 *                           (default: chaincode/definition.yaml of the fabric dir)
 *   --chaincode-address A   the chaincode servers of the --chaincode before it (or of the default chaincode),
 *                           instead of the addresses in its definition file:
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
        var options = List.of(args).subList(1, args.length);
        if (options.contains("--help") || options.contains("-h")) {
            System.err.println(USAGE);
            System.exit(0);
        }
        DevnetConfig config = null;
        try {
            config = parse(options);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
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

    /** The options that take a value. */
    private static final java.util.Set<String> VALUED_OPTIONS = java.util.Set.of("--fabric-dir", "--data-dir", "--orgs",
            "--port", "--batch-timeout", "--batch-size", "--channel", "--profile", "--chaincode", "--chaincode-address");

    /**
     * The configuration the options of {@code devnet up} (those after {@code up}) describe. Each {@code --chaincode FILE}
     * hosts one more chaincode; a {@code --chaincode-address} applies to the chaincode named just before it (or, with
     * no {@code --chaincode} before it, to {@code chaincode/definition.yaml}'s).
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    public static DevnetConfig parse(List<String> options) {
        var fabricDir = Path.of("network-config/fabric");
        var dataDir = Path.of("target/devnet");
        int orgs = 0;
        int port = 7051;
        var batch = BatchOverrides.NONE;
        boolean tls = false;
        var channel = DevnetConfig.DEFAULT_CHANNEL;
        var profile = DevnetConfig.DEFAULT_PROFILE;
        // Each chaincode as its definition file and the addresses the command line gives it (null: the file's).
        var chaincodeFiles = new ArrayList<Path>();
        var chaincodeAddresses = new ArrayList<ChaincodeAddresses>();
        ChaincodeAddresses defaultAddresses = null;
        for (int i = 0; i < options.size(); i++) {
            var option = options.get(i);
            if (option.equals("--tls")) {
                tls = true;
                continue;
            }
            if (!VALUED_OPTIONS.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (i + 1 >= options.size()) {
                throw new IllegalArgumentException("option " + option + " needs a value");
            }
            var value = options.get(++i);
            try {
                switch (option) {
                    case "--fabric-dir" -> fabricDir = Path.of(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--orgs" -> orgs = Integer.parseInt(value);
                    case "--port" -> port = Integer.parseInt(value);
                    case "--batch-timeout" -> batch = batch.withTimeout(positive(duration(value)));
                    case "--batch-size" -> batch = batch.withMaxMessageCount(positive(Integer.parseInt(value)));
                    case "--channel" -> channel = value;
                    case "--profile" -> profile = value;
                    case "--chaincode" -> {
                        chaincodeFiles.add(Path.of(value));
                        chaincodeAddresses.add(null);
                    }
                    case "--chaincode-address" -> {
                        var addresses = ChaincodeAddresses.parse(value);
                        if (chaincodeFiles.isEmpty()) {
                            defaultAddresses = addresses;
                        } else {
                            chaincodeAddresses.set(chaincodeAddresses.size() - 1, addresses);
                        }
                    }
                    default -> throw new IllegalStateException("valued option without a case: " + option);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad value '" + value + "' for " + option + ": " + e.getMessage(), e);
            }
        }
        if (defaultAddresses != null && !chaincodeFiles.isEmpty()) {
            throw new IllegalArgumentException("--chaincode-address before the first --chaincode: put it after the "
                    + "--chaincode it is for");
        }
        var config = DevnetConfig.defaults(fabricDir, dataDir).withOrgs(orgs).withBasePort(port).withBatch(batch)
                .withTls(tls).withChannel(channel, profile);
        if (chaincodeFiles.isEmpty() && defaultAddresses != null) {
            chaincodeFiles.add(fabricDir.resolve("chaincode/definition.yaml"));
            chaincodeAddresses.add(defaultAddresses);
        }
        var definitions = new ArrayList<ChaincodeDefinition>();
        var names = new java.util.HashSet<String>();
        for (int i = 0; i < chaincodeFiles.size(); i++) {
            ChaincodeDefinition definition;
            try {
                definition = ChaincodeDefinitions.read(chaincodeFiles.get(i));
            } catch (java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("--chaincode " + chaincodeFiles.get(i) + ": " + e.getMessage(), e);
            }
            if (chaincodeAddresses.get(i) != null) {
                definition = definition.withAddresses(chaincodeAddresses.get(i));
            }
            if (!names.add(definition.name())) {
                throw new IllegalArgumentException("two --chaincode files define chaincode " + definition.name());
            }
            definitions.add(definition);
        }
        return definitions.isEmpty() ? config : config.withChaincodes(definitions);
    }

    private static Duration positive(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("must be positive");
        }
        return duration;
    }

    private static int positive(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("must be at least 1");
        }
        return count;
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
            usage: devnet up [--fabric-dir DIR] [--data-dir DIR] [--orgs N] [--port P] [--batch-timeout D] \
            [--batch-size N] [--tls] [--channel gridledger] [--profile GridLedgerChannel] \
            [--chaincode FILE [--chaincode-address A]]... | [--chaincode-address A]
              --channel NAME, --profile NAME                the channel and its configtx.yaml profile
              --chaincode FILE                              host the chaincode FILE defines (definition.yaml's format);
                                                            repeat for several (default: chaincode/definition.yaml)
              --chaincode-address HOST:PORT                 one chaincode server, dialled by every org's peer
              --chaincode-address Org1MSP=HOST:PORT,...     one per org, each dialled by its own org's peer
              (for the --chaincode before it; default: Address.<MSP ID> / Address in the definition file)""";

    private static void usage(String problem) {
        System.err.println("devnet: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }
}
