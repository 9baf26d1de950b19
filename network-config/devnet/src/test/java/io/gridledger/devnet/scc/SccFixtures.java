package io.gridledger.devnet.scc;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.ledger.BlockValidator;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.EndorsementRequirements;
import io.gridledger.devnet.ledger.RequiredPolicies;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.msp.CryptoConfig;
import io.gridledger.devnet.msp.CryptoGenerator;
import io.gridledger.devnet.msp.CryptoMaterial;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.SigningIdentity;
import io.gridledger.devnet.policy.ChannelPolicies;
import io.gridledger.devnet.policy.ConfigTx;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.SignedProposal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The GridLedger consortium of {@code network-config/fabric} (cryptogen material generated once per test JVM, the
 * configtx.yaml channel and its policies) and signed invocations of system chaincodes by its users.
 */
final class SccFixtures {

    static final Path FABRIC_DIR = Path.of("../fabric");
    static final String CHANNEL = "gridledger";
    static final List<String> ORGS = List.of("Org1MSP", "Org2MSP", "Org3MSP");

    private static CryptoMaterial crypto;
    private static ChannelPolicies policies;

    private SccFixtures() {
    }

    static synchronized CryptoMaterial crypto() {
        if (crypto == null) {
            try {
                var root = Files.createTempDirectory("gridledger-scc-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
                crypto = CryptoGenerator.generate(CryptoConfig.load(FABRIC_DIR), root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return crypto;
    }

    static synchronized ChannelPolicies policies() {
        if (policies == null) {
            policies = ConfigTx.read(FABRIC_DIR.resolve("configtx.yaml"), "GridLedgerChannel", CHANNEL).policies();
        }
        return policies;
    }

    static IdentityDeserializer msps() {
        return crypto().channelMsps(ORGS);
    }

    /** The access control of {@code mspId}'s peer. */
    static AccessControl access(String mspId) {
        return new AccessControl(CHANNEL, policies(), msps(), mspId);
    }

    static SigningIdentity user(String mspId, String user) {
        return crypto().userIdentity(mspId, user);
    }

    static SigningIdentity peer(String mspId) {
        return crypto().nodeIdentity(mspId, crypto().config().org(mspId).orElseThrow().nodes().get(0).hostname());
    }

    /** An invocation on {@code channel} by {@code signer}, who signed the proposal. */
    static Invocation invocation(String channel, SigningIdentity signer, String... args) {
        return invocation(channel, signer, Arrays.stream(args).map(ByteString::copyFromUtf8).toArray(ByteString[]::new));
    }

    static Invocation invocation(String channel, SigningIdentity signer, ByteString... args) {
        var proposalBytes = ByteString.copyFromUtf8("proposal on " + channel + " " + Arrays.toString(args));
        var signed = SignedProposal.newBuilder().setProposalBytes(proposalBytes)
                .setSignature(ByteString.copyFrom(signer.sign(proposalBytes.toByteArray()))).build();
        return new Invocation(channel, List.of(args), signed, signer.serialized());
    }

    /** An invocation whose proposal {@code claimed} says it created but {@code signer} signed. */
    static Invocation forged(SigningIdentity claimed, SigningIdentity signer, String... args) {
        var honest = invocation(CHANNEL, signer, args);
        return new Invocation(CHANNEL, honest.args(), honest.signedProposal(), claimed.serialized());
    }

    /** A ledger holding only a genesis block: one CONFIG envelope whose config names the Application group. */
    static ChannelLedger genesisLedger(Path dir) {
        var orderer = crypto().nodeIdentity("OrdererMSP", "orderer1");
        var validator = new BlockValidator(CHANNEL, msps(), Set.of(), NOTHING_IS_ENDORSED);
        return ChannelLedger.open(CHANNEL, dir, validator, orderer,
                () -> Blocks.sign(Blocks.create(0, new byte[0], List.of(configEnvelope())), orderer, 0));
    }

    static Config genesisConfig() {
        return Config.newBuilder().setSequence(0).setChannelGroup(ConfigGroup.newBuilder()
                .putGroups("Application", ConfigGroup.newBuilder().setModPolicy("Admins").build())).build();
    }

    private static Envelope configEnvelope() {
        var header = Header.newBuilder().setChannelHeader(ChannelHeader.newBuilder()
                .setType(HeaderType.CONFIG_VALUE).setChannelId(CHANNEL).build().toByteString());
        var payload = Payload.newBuilder().setHeader(header)
                .setData(ConfigEnvelope.newBuilder().setConfig(genesisConfig()).build().toByteString()).build();
        return Envelope.newBuilder().setPayload(payload.toByteString()).build();
    }

    /** The tests commit no transactions; a validator that had to judge one would find no endorsement sufficient. */
    private static final EndorsementRequirements NOTHING_IS_ENDORSED = new EndorsementRequirements() {
        @Override
        public boolean satisfiesChaincodePolicy(String chaincode, List<Identity> endorsers) {
            return false;
        }

        @Override
        public boolean satisfiesKeyPolicy(ByteString validationParameter, List<Identity> endorsers) {
            return false;
        }

        @Override
        public Optional<List<String>> plan(String chaincode, RequiredPolicies required, Map<String, Identity> peers,
                                           String localOrg) {
            return Optional.empty();
        }
    };

    private static void deleteQuietly(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
