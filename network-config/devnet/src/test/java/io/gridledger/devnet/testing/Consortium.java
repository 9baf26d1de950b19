package io.gridledger.devnet.testing;

import io.gridledger.devnet.PolicyRequirements;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.ledger.BlockValidator;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.ledger.EndorsementRequirements;
import io.gridledger.devnet.msp.ChannelMsps;
import io.gridledger.devnet.msp.CryptoMaterial;
import io.gridledger.devnet.msp.LocalSigningIdentity;
import io.gridledger.devnet.msp.TestCrypto;
import io.gridledger.devnet.policy.ChannelDefinition;
import io.gridledger.devnet.policy.ConfigTx;
import org.hyperledger.fabric.protos.common.HeaderType;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consortium devnet runs, with its real parts: the three member orgs' MSPs from crypto material generated once per
 * test JVM, the channel {@value #CHANNEL} from {@code network-config/fabric/configtx.yaml}, and the chaincode
 * {@value #CHAINCODE} with the channel's {@code MAJORITY Endorsement} policy (two of the three orgs' peers).
 *
 * <pre>{@code
 * var consortium = Consortium.shared();
 * var validator = consortium.validator();
 * var envelope = TransactionBuilder.proposedBy(consortium.client("Org1MSP"))
 *         .endorsedBy(consortium.peer("Org1MSP"), consortium.peer("Org2MSP")).envelope();
 * }</pre>
 */
public final class Consortium {

    public static final String CHANNEL = "gridledger";
    public static final String CHAINCODE = "gridledger";
    public static final String CHAINCODE_VERSION = "1.0";
    public static final String ENDORSEMENT_POLICY = "/Channel/Application/Endorsement";
    public static final List<String> ORGS = List.of("Org1MSP", "Org2MSP", "Org3MSP");

    private static Consortium shared;

    private final CryptoMaterial crypto;
    private final ChannelMsps msps;
    private final ChannelDefinition channel;
    private final EndorsementRequirements requirements;
    private final Map<String, LocalSigningIdentity> identities = new ConcurrentHashMap<>();

    private Consortium(CryptoMaterial crypto) {
        this.crypto = crypto;
        this.msps = crypto.channelMsps(ORGS);
        this.channel = ConfigTx.read(TestCrypto.FABRIC_DIR.resolve("configtx.yaml"), "GridLedgerChannel", CHANNEL);
        this.requirements = requirements(Map.of(CHAINCODE, ENDORSEMENT_POLICY));
    }

    public static synchronized Consortium shared() {
        if (shared == null) {
            shared = new Consortium(TestCrypto.shared());
        }
        return shared;
    }

    public CryptoMaterial crypto() {
        return crypto;
    }

    /** The member orgs' MSPs, as devnet's peers, orderer and validator use them. */
    public io.gridledger.devnet.policy.ChannelPolicies policies() {
        return channel.policies();
    }

    /** The channel's access control as peer {@code mspId} applies it. */
    public io.gridledger.devnet.scc.AccessControl accessControl(String mspId) {
        return new io.gridledger.devnet.scc.AccessControl(CHANNEL, channel.policies(), msps(), mspId);
    }

    public ChannelMsps msps() {
        return msps;
    }

    public EndorsementRequirements requirements() {
        return requirements;
    }

    /** The channel's rules for other chaincode definitions: name → endorsement policy (reference or signature policy). */
    public EndorsementRequirements requirements(Map<String, String> policies) {
        var definitions = new LinkedHashMap<String, ChaincodeDefinition>();
        policies.forEach((name, policy) -> definitions.put(name, definition(name, policy)));
        return new PolicyRequirements(channel, definitions);
    }

    /**
     * A channel ledger in {@code dir} with this consortium's validator and orderer. Its genesis block holds one CONFIG
     * envelope (not a real config: nothing here reads it).
     */
    public ChannelLedger openLedger(Path dir) {
        var genesis = TransactionBuilder.proposedBy(orderer()).headerType(HeaderType.CONFIG_VALUE).envelope();
        return ChannelLedger.open(CHANNEL, dir, validator(), orderer(), () -> Blocks.create(0, new byte[0], List.of(genesis)));
    }

    /** The chaincode {@value #CHAINCODE} as devnet defines it. */
    public ChaincodeDefinition definition() {
        return definition(CHAINCODE, ENDORSEMENT_POLICY);
    }

    private static ChaincodeDefinition definition(String name, String policy) {
        return new ChaincodeDefinition(name, CHAINCODE_VERSION, 1, policy, "127.0.0.1:9999");
    }

    /** A validator of the channel, for a chaincode defined as devnet defines it. */
    public BlockValidator validator() {
        return new BlockValidator(CHANNEL, msps, Set.of(CHAINCODE), requirements);
    }

    /** The org's client {@code User1}. */
    public LocalSigningIdentity client(String mspId) {
        return identities.computeIfAbsent(mspId + "/User1", k -> crypto.userIdentity(mspId, "User1"));
    }

    /** The org's endorsing peer {@code peer0}. */
    public LocalSigningIdentity peer(String mspId) {
        return identities.computeIfAbsent(mspId + "/peer0", k -> crypto.nodeIdentity(mspId, "peer0"));
    }

    /** The orderer that signs blocks. */
    public LocalSigningIdentity orderer() {
        var org = crypto.config().ordererOrgs().get(0);
        return identities.computeIfAbsent("orderer", k -> crypto.nodeIdentity(org.mspId(), org.nodes().get(0).hostname()));
    }
}
