package io.gridledger.devnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridledger.devnet.chaincode.ChaincodeConnection;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.chaincode.ChaincodeDefinitions;
import io.gridledger.devnet.chaincode.ChaincodeExecutionException;
import io.gridledger.devnet.ledger.BlockValidator;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.EndorsementRequirements;
import io.gridledger.devnet.msp.ChannelMsps;
import io.gridledger.devnet.msp.CryptoConfig;
import io.gridledger.devnet.msp.CryptoGenerator;
import io.gridledger.devnet.msp.CryptoLayout;
import io.gridledger.devnet.msp.CryptoMaterial;
import io.gridledger.devnet.msp.InvalidIdentityException;
import io.gridledger.devnet.orderer.AtomicBroadcastServer;
import io.gridledger.devnet.orderer.BatchSettings;
import io.gridledger.devnet.orderer.Orderer;
import io.gridledger.devnet.peer.DeliverServer;
import io.gridledger.devnet.peer.Endorser;
import io.gridledger.devnet.peer.EndorserServer;
import io.gridledger.devnet.peer.GatewayServer;
import io.gridledger.devnet.peer.PeerNode;
import io.gridledger.devnet.policy.ChannelDefinition;
import io.gridledger.devnet.policy.ConfigTx;
import io.gridledger.devnet.scc.AccessControl;
import io.gridledger.devnet.scc.SystemChaincodes;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A Fabric-compatible consortium in one JVM: one peer per member org, each serving the peer Gateway and Deliver
 * gRPC services on its own loopback port and driving its own org's chaincode-as-a-service servers (the address the
 * chaincode definition names for that org) over Fabric's chaincode protocol; an orderer that cuts blocks; a validating
 * committer; and a persistent, hash-chained ledger.
 *
 * <pre>{@code
 * try (var devnet = Devnet.start(DevnetConfig.defaults(Path.of("network-config/fabric"), Path.of("target/devnet")))) {
 *     devnet.peerAddress("Org1MSP");   // "127.0.0.1:7051", for the Fabric Gateway SDK
 * }
 * }</pre>
 *
 * Identities, blocks and state live in the data directory; starting again on the same directory continues the
 * same network.
 */
public final class Devnet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Devnet.class);

    private final DevnetConfig config;
    private final CryptoMaterial crypto;
    private final ChannelDefinition channel;
    private final ChannelLedger ledger;
    private final Orderer orderer;
    private final List<Server> servers;
    private final List<ChaincodeConnection> connections;
    private final Map<String, String> addresses;
    private final String ordererAddress;
    private final ExecutorService streams;
    private final ExecutorService handlers;

    private Devnet(DevnetConfig config, CryptoMaterial crypto, ChannelDefinition channel, ChannelLedger ledger,
                   Orderer orderer, List<Server> servers, List<ChaincodeConnection> connections,
                   Map<String, String> addresses, String ordererAddress, ExecutorService streams,
                   ExecutorService handlers) {
        this.config = config;
        this.crypto = crypto;
        this.channel = channel;
        this.ledger = ledger;
        this.orderer = orderer;
        this.servers = servers;
        this.connections = connections;
        this.addresses = addresses;
        this.ordererAddress = ordererAddress;
        this.streams = streams;
        this.handlers = handlers;
    }

    public static Devnet start(DevnetConfig config) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(config.dataDir());
        // An earlier run's file names ports that may be gone; whoever waits for it must see only this run's.
        Files.deleteIfExists(connectionFile(config.dataDir()));
        var cryptoConfig = CryptoConfig.load(config.fabricDir());
        if (config.orgs() > 0) {
            cryptoConfig = cryptoConfig.withPeerOrgs(config.orgs());
        }
        var crypto = CryptoGenerator.generate(cryptoConfig, config.dataDir());
        var memberIds = cryptoConfig.peerOrgs().stream().map(CryptoConfig.Org::mspId).toList();
        var msps = crypto.channelMsps(memberIds);
        var channel = ChannelMembers.restrict(ConfigTx.read(config.fabricDir().resolve("configtx.yaml"),
                config.profile(), config.channel()), memberIds);
        var definitions = config.chaincodes().isEmpty()
                ? List.of(ChaincodeDefinitions.read(config.fabricDir().resolve("chaincode/definition.yaml")))
                : config.chaincodes();
        var definitionsByName = new LinkedHashMap<String, ChaincodeDefinition>();
        definitions.forEach(d -> definitionsByName.put(d.name(), d));
        // Each org's peer dials its own org's server: every member org needs one, known before anything starts.
        definitions.forEach(d -> memberIds.forEach(d::addressFor));
        EndorsementRequirements requirements = new PolicyRequirements(channel, definitionsByName);

        var validator = new BlockValidator(channel.channelName(), msps, definitionsByName.keySet(), requirements);
        var ordererOrg = cryptoConfig.ordererOrgs().get(0);
        var ordererIdentity = crypto.nodeIdentity(ordererOrg.mspId(), ordererOrg.nodes().get(0).hostname());
        var ledger = ChannelLedger.open(channel.channelName(), config.dataDir().resolve("ledger").resolve(channel.channelName()),
                validator, ordererIdentity, () -> GenesisBlock.create(channel, config.fabricDir(), crypto, ordererIdentity));
        var batch = config.batch().applyTo(BatchSettings.of(channel.orderer()));
        var orderer = new Orderer(ledger, msps, channel.policies(), batch);
        var streams = Executors.newCachedThreadPool(r -> {
            var thread = new Thread(r, "devnet-stream");
            thread.setDaemon(true);
            return thread;
        });

        var handlers = requestHandlers();
        var channelPolicies = channel.policies();
        var connections = new ArrayList<ChaincodeConnection>();
        var nodes = new ArrayList<PeerNode>();
        var addresses = new LinkedHashMap<String, String>();
        var ports = ports(config.host(), config.basePort(), memberIds.size());
        for (int i = 0; i < memberIds.size(); i++) {
            var mspId = memberIds.get(i);
            var peerIdentity = crypto.nodeIdentity(mspId, peerHostname(cryptoConfig, mspId));
            var byName = new LinkedHashMap<String, ChaincodeConnection>();
            for (var definition : definitions) {
                var connection = new ChaincodeConnection(definition.name(), definition.addressFor(mspId), config.executeTimeout());
                byName.put(definition.name(), connection);
                connections.add(connection);
            }
            var systemChaincodes = SystemChaincodes.forPeer(mspId, ledger, channelPolicies, msps, memberIds, definitions);
            var endorser = new Endorser(channel.channelName(), peerIdentity, msps, ledger.state(), ledger::isCommitted,
                    definitionsByName, byName, systemChaincodes);
            var address = config.host() + ":" + ports.get(i);
            try {
                nodes.add(new PeerNode(mspId, address, msps.deserialize(peerIdentity.serialized()), endorser));
            } catch (InvalidIdentityException e) {
                throw new IllegalStateException("the peer identity of " + mspId + " is not valid: " + e.getMessage(), e);
            }
        }
        var servers = new ArrayList<Server>();
        for (int i = 0; i < nodes.size(); i++) {
            var node = nodes.get(i);
            var server = serve(config, handlers, ports.get(i), crypto.nodeDir(node.mspId(), peerHostname(cryptoConfig, node.mspId())),
                    new GatewayServer(node, nodes, ledger, orderer,
                            new AccessControl(channel.channelName(), channelPolicies, msps, node.mspId()), requirements, streams),
                    new DeliverServer(ledger, msps, channelPolicies, streams),
                    new EndorserServer(node.endorser()));
            servers.add(server);
            addresses.put(node.mspId(), config.host() + ":" + server.getPort());
        }
        var ordererServer = serve(config, handlers, ports.get(nodes.size()),
                crypto.nodeDir(ordererOrg.mspId(), ordererOrg.nodes().get(0).hostname()),
                new AtomicBroadcastServer(orderer, ledger, msps, channelPolicies, streams));
        servers.add(ordererServer);
        var ordererAddress = config.host() + ":" + ordererServer.getPort();
        var devnet = new Devnet(config, crypto, channel, ledger, orderer, servers, connections, addresses, ordererAddress,
                streams, handlers);
        devnet.writeConnectionFile(definitions);
        log.info("devnet up in {} ms: channel {}, {} orgs, peers {}, orderer {} ({}), block height {}",
                (System.nanoTime() - started) / 1_000_000, channel.channelName(), memberIds.size(), addresses,
                ordererAddress, batch, ledger.height());
        return devnet;
    }

    /** The org's first node ({@code peer0}) is the peer devnet runs for it. */
    private static String peerHostname(CryptoConfig config, String mspId) {
        return config.org(mspId).orElseThrow().nodes().get(0).hostname();
    }

    /**
     * The peers' ports, then the orderer's: {@code basePort + i} and {@code basePort - 1} (7051… and 7050, as on
     * Fabric's test network), or with base port 0 free ports picked now, so that each peer knows its own
     * address (it names it in error details) before its server starts.
     */
    private static List<Integer> ports(String host, int basePort, int peers) throws IOException {
        var ports = new ArrayList<Integer>();
        if (basePort != 0) {
            for (int i = 0; i < peers; i++) {
                ports.add(basePort + i);
            }
            ports.add(basePort - 1);
            return ports;
        }
        var sockets = new ArrayList<ServerSocket>();
        try {
            for (int i = 0; i <= peers; i++) {
                var socket = new ServerSocket(0, 1, InetAddress.getByName(host));
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
        } finally {
            for (var socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }

    /** A gRPC server for one node's services, with the node's TLS certificate when TLS is on. */
    /**
     * The threads that run every node's gRPC calls, first come first served. Devnet's handlers never wait for other
     * calls (streams are fed from {@code streams}, simulations end on the chaincode connections' own threads), so a
     * few threads are enough; gRPC's default, a thread per concurrent call, lets a burst of calls share the cores
     * evenly, so every call of the burst ends late, the first as late as the last.
     */
    private static ExecutorService requestHandlers() {
        var count = new java.util.concurrent.atomic.AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()), r -> {
            var thread = new Thread(r, "devnet-rpc-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private static Server serve(DevnetConfig config, ExecutorService handlers, int port, Path nodeDir,
                                BindableService... services) throws IOException {
        var builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), port))
                .executor(handlers)
                .maxInboundMessageSize(100 * 1024 * 1024);
        if (config.tls()) {
            builder.sslContext(GrpcSslContexts.forServer(CryptoLayout.tlsCertFile(nodeDir).toFile(),
                    CryptoLayout.tlsKeyFile(nodeDir).toFile()).build());
        }
        for (var service : services) {
            builder.addService(service);
        }
        return builder.build().start();
    }

    /** Waits until every peer's connection to every chaincode is registered and ready. */
    public void awaitChaincodes(Duration timeout) throws ChaincodeExecutionException {
        for (var connection : connections) {
            connection.awaitReady(timeout);
        }
    }

    public DevnetConfig config() {
        return config;
    }

    public String channelName() {
        return channel.channelName();
    }

    public List<String> memberOrgs() {
        return List.copyOf(addresses.keySet());
    }

    /** host:port of the org's peer (Gateway and Deliver services). */
    public String peerAddress(String mspId) {
        var address = addresses.get(mspId);
        if (address == null) {
            throw new IllegalArgumentException("no peer for " + mspId + "; orgs are " + addresses.keySet());
        }
        return address;
    }

    /** host:port of the ordering service ({@code orderer.AtomicBroadcast}). */
    public String ordererAddress() {
        return ordererAddress;
    }

    public CryptoMaterial crypto() {
        return crypto;
    }

    public ChannelLedger ledger() {
        return ledger;
    }

    /** Peer addresses and user key files, for clients; written once the peers listen. */
    public Path connectionFile() {
        return connectionFile(config.dataDir());
    }

    private static Path connectionFile(Path dataDir) {
        return dataDir.resolve("connection.json");
    }

    private void writeConnectionFile(List<ChaincodeDefinition> definitions) throws IOException {
        var orgs = new ArrayList<Map<String, Object>>();
        for (var entry : addresses.entrySet()) {
            var mspId = entry.getKey();
            var org = crypto.config().org(mspId).orElseThrow();
            var users = new LinkedHashMap<String, Object>();
            var names = new ArrayList<String>();
            names.add("Admin");
            for (int u = 1; u <= org.userCount(); u++) {
                names.add("User" + u);
            }
            names.addAll(org.providerNodes());
            for (var name : names) {
                users.put(name, Map.of(
                        "certificate", crypto.userCertificate(mspId, name).toAbsolutePath().toString(),
                        "privateKey", crypto.userPrivateKey(mspId, name).toAbsolutePath().toString()));
            }
            var orgEntry = new LinkedHashMap<String, Object>();
            orgEntry.put("mspId", mspId);
            orgEntry.put("peerEndpoint", entry.getValue());
            orgEntry.put("tls", config.tls());
            orgEntry.put("tlsCaCertificate", crypto.tlsCaCertificate(mspId).toAbsolutePath().toString());
            orgEntry.put("tlsServerName", org.node(peerHostname(crypto.config(), mspId)).orElseThrow().commonName());
            var servers = new LinkedHashMap<String, String>();
            definitions.forEach(d -> servers.put(d.name(), d.addressFor(mspId)));
            orgEntry.put("chaincodeServers", servers);
            orgEntry.put("users", users);
            orgs.add(orgEntry);
        }
        var document = new LinkedHashMap<String, Object>();
        document.put("channel", channel.channelName());
        document.put("chaincodes", definitions.stream().map(ChaincodeDefinition::name).toList());
        document.put("organizations", orgs);
        var ordererOrg = crypto.config().ordererOrgs().get(0);
        var orderer = new LinkedHashMap<String, Object>();
        orderer.put("mspId", ordererOrg.mspId());
        orderer.put("endpoint", ordererAddress);
        orderer.put("tls", config.tls());
        orderer.put("tlsCaCertificate", crypto.layout().tlsCaCertFile(ordererOrg).toAbsolutePath().toString());
        orderer.put("tlsServerName", ordererOrg.nodes().get(0).commonName());
        document.put("orderer", orderer);
        var mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        var file = connectionFile();
        var temp = file.resolveSibling("connection.json.tmp");
        mapper.writeValue(temp.toFile(), document);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        for (var server : servers) {
            server.shutdownNow();
        }
        for (var server : servers) {
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            orderer.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(ChaincodeConnection::close);
        handlers.shutdown();
        streams.shutdown(); // not shutdownNow: interrupting a thread that reads the block store closes its file
        try {
            ledger.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
