package io.gridledger.devnet.scc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.InvalidIdentityException;
import io.gridledger.devnet.policy.ChannelPolicies;
import io.gridledger.devnet.policy.SignaturePolicies;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fabric 2.5's default access control for the system chaincode resources devnet serves ({@code aclmgmt}'s default
 * provider; GridLedger's {@code configtx.yaml} overrides none of them):
 * <ul>
 *   <li>channel resources (an application chaincode proposal, {@code peer/Propose}: the channel's
 *       {@code /Channel/Application/Writers}; {@code qscc/*}, {@code cscc/GetConfigBlock}, {@code cscc/GetChannelConfig}: the
 *       channel's {@code /Channel/Application/Readers}; {@code _lifecycle}'s channel-wide functions:
 *       {@code /Channel/Application/Writers}) are evaluated on the proposal's creator and signature against the
 *       named channel's policy;</li>
 *   <li>peer resources ({@code cscc/GetChannels}: {@code Members}; installing and approving: {@code Admins}) and any
 *       resource asked for without a channel are checked against the peer's own org (its local MSP);</li>
 *   <li>a resource with no rule is refused: {@code Unmapped policy for qscc/Nope}.</li>
 * </ul>
 * Denials carry Fabric's wording, which the system chaincodes wrap as Fabric's do.
 */
public final class AccessControl {

    /** The resource of an application chaincode proposal, checked by the endorser. */
    public static final String PEER_PROPOSE = "peer/Propose";
    /** The peer's Deliver and DeliverWithPrivateData streams. */
    public static final String EVENT_BLOCK = "event/Block";
    /** The peer's DeliverFiltered stream. */
    public static final String EVENT_FILTERED_BLOCK = "event/FilteredBlock";
    /** The gateway's CommitStatus. */
    public static final String GATEWAY_COMMIT_STATUS = "gateway/CommitStatus";
    /** The gateway's ChaincodeEvents stream. */
    public static final String GATEWAY_CHAINCODE_EVENTS = "gateway/ChaincodeEvents";
    static final String ADMINS = "Admins";
    static final String MEMBERS = "Members";

    private enum Scope { CHANNEL, PEER }

    private record Rule(Scope scope, String policy) {
    }

    private static final Rule READERS = new Rule(Scope.CHANNEL, ChannelPolicies.APPLICATION_READERS);
    private static final Rule WRITERS = new Rule(Scope.CHANNEL, ChannelPolicies.APPLICATION_WRITERS);
    private static final Rule PEER_ADMINS = new Rule(Scope.PEER, ADMINS);
    private static final Rule PEER_MEMBERS = new Rule(Scope.PEER, MEMBERS);

    private static final Map<String, Rule> DEFAULTS = Map.ofEntries(
            Map.entry(PEER_PROPOSE, WRITERS),
            Map.entry("qscc/GetChainInfo", READERS),
            Map.entry("qscc/GetBlockByNumber", READERS),
            Map.entry("qscc/GetBlockByHash", READERS),
            Map.entry("qscc/GetTransactionByID", READERS),
            Map.entry("qscc/GetBlockByTxID", READERS),
            Map.entry("cscc/GetConfigBlock", READERS),
            Map.entry("cscc/GetChannelConfig", READERS),
            Map.entry("cscc/GetChannels", PEER_MEMBERS),
            Map.entry(EVENT_BLOCK, READERS),
            Map.entry(EVENT_FILTERED_BLOCK, READERS),
            Map.entry(GATEWAY_COMMIT_STATUS, READERS),
            Map.entry(GATEWAY_CHAINCODE_EVENTS, READERS),
            Map.entry("_lifecycle/InstallChaincode", PEER_ADMINS),
            Map.entry("_lifecycle/QueryInstalledChaincode", PEER_ADMINS),
            Map.entry("_lifecycle/GetInstalledChaincodePackage", PEER_ADMINS),
            Map.entry("_lifecycle/QueryInstalledChaincodes", PEER_ADMINS),
            Map.entry("_lifecycle/ApproveChaincodeDefinitionForMyOrg", PEER_ADMINS),
            Map.entry("_lifecycle/QueryApprovedChaincodeDefinition", PEER_ADMINS),
            Map.entry("_lifecycle/CommitChaincodeDefinition", WRITERS),
            Map.entry("_lifecycle/QueryChaincodeDefinition", WRITERS),
            Map.entry("_lifecycle/QueryChaincodeDefinitions", WRITERS),
            Map.entry("_lifecycle/CheckCommitReadiness", WRITERS));

    private final String channelId;
    private final ChannelPolicies policies;
    private final IdentityDeserializer channelMsps;
    private final String localMspId;

    /**
     * @param channelId   the one channel the peer has joined
     * @param policies    that channel's policies
     * @param channelMsps the channel's MSPs
     * @param localMspId  the peer's own org, whose MSP is the peer's local MSP
     */
    public AccessControl(String channelId, ChannelPolicies policies, IdentityDeserializer channelMsps, String localMspId) {
        this.channelId = Objects.requireNonNull(channelId, "channelId");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.channelMsps = Objects.requireNonNull(channelMsps, "channelMsps");
        this.localMspId = Objects.requireNonNull(localMspId, "localMspId");
    }

    /**
     * Why the invocation's creator may not use {@code resource} (e.g. {@code qscc/GetChainInfo}) on {@code channel};
     * empty when it may.
     */
    public Optional<String> denial(String resource, String channel, Invocation invocation) {
        var rule = DEFAULTS.get(resource);
        if (rule == null) {
            return Optional.of("Unmapped policy for " + resource);
        }
        if (rule.scope() == Scope.PEER || channel.isEmpty()) {
            return localDenial(rule.policy(), invocation);
        }
        if (!channel.equals(channelId)) {
            return Optional.of("Failed to get policy manager for channel [" + channel + "]");
        }
        return channelDenial(channel, rule, signer(invocation));
    }

    /**
     * {@link #denial} of a channel resource for a creator whose signature over the proposal the caller has already
     * verified (the endorser's proposal validation), so it is not verified twice.
     */
    public Optional<String> denialForVerified(String resource, String channel, Identity verifiedCreator) {
        var rule = DEFAULTS.get(resource);
        if (rule == null) {
            return Optional.of("Unmapped policy for " + resource);
        }
        if (rule.scope() != Scope.CHANNEL || !channel.equals(channelId)) {
            throw new IllegalArgumentException(resource + " on channel [" + channel + "] is not a resource of this channel");
        }
        return channelDenial(channel, rule, List.of(verifiedCreator));
    }

    /**
     * {@link #denial} of a channel resource asked for with signed data rather than a proposal (the gateway's
     * CommitStatus and ChaincodeEvents, a deliver request's envelope): {@code identity} must have signed {@code data}
     * and satisfy the resource's policy. Fabric's default provider words it
     * {@code Failed evaluating policy on signed data during check policy on channel [C] with policy [P]: [why]}, and a
     * channel the peer has not joined {@code Failed to get policy manager for channel [C]}.
     */
    public Optional<String> denialForSignedData(String resource, String channel, ByteString identity, ByteString data,
                                                ByteString signature) {
        var rule = DEFAULTS.get(resource);
        if (rule == null) {
            return Optional.of("Unmapped policy for " + resource);
        }
        if (rule.scope() != Scope.CHANNEL) {
            throw new IllegalArgumentException(resource + " is not a channel resource");
        }
        if (!channel.equals(channelId)) {
            return Optional.of("Failed to get policy manager for channel [" + channel + "]");
        }
        return channelDenial(channel, rule, signer(identity, data, signature));
    }

    private Optional<String> channelDenial(String channel, Rule rule, List<Identity> signers) {
        return policies.evaluationFailure(rule.policy(), signers)
                .map(reason -> "Failed evaluating policy on signed data during check policy on channel [" + channel
                        + "] with policy [" + rule.policy() + "]: [" + reason + "]");
    }

    /** The creator whose signature over the proposal verifies; nobody otherwise, as Fabric's signed-data evaluation. */
    private List<Identity> signer(Invocation invocation) {
        var signed = invocation.signedProposal();
        return signer(invocation.creator(), signed.getProposalBytes(), signed.getSignature());
    }

    /** {@code identity} if it is a channel member whose signature over {@code data} verifies; nobody otherwise. */
    private List<Identity> signer(ByteString identity, ByteString data, ByteString signature) {
        try {
            var creator = channelMsps.deserialize(identity);
            return creator.verify(data.toByteArray(), signature.toByteArray()) ? List.of(creator) : List.of();
        } catch (InvalidIdentityException e) {
            return List.of();
        }
    }

    /** Fabric's channel-less check: the creator against a principal of the peer's own MSP. */
    private Optional<String> localDenial(String policy, Invocation invocation) {
        Identity creator;
        try {
            var mspId = SerializedIdentity.parseFrom(invocation.creator()).getMspid();
            if (!mspId.equals(localMspId)) {
                throw new InvalidIdentityException("expected MSP ID " + localMspId + ", received " + mspId);
            }
            creator = channelMsps.deserialize(invocation.creator());
        } catch (InvalidProtocolBufferException | InvalidIdentityException e) {
            return Optional.of("Failed deserializing proposal creator during channelless check policy with policy ["
                    + policy + "]: [" + e.getMessage() + "]");
        }
        MSPRole.MSPRoleType role;
        switch (policy) {
            case ADMINS -> role = MSPRole.MSPRoleType.ADMIN;
            case MEMBERS -> role = MSPRole.MSPRoleType.MEMBER;
            default -> {
                return Optional.of("Failed getting local MSP principal during channelless check policy with policy ["
                        + policy + "]: [MSP Principal role [" + policy + "] not recognized]");
            }
        }
        if (!creator.satisfies(SignaturePolicies.rolePrincipal(localMspId, role))) {
            return Optional.of("Failed verifying that proposal's creator satisfies local MSP principal during "
                    + "channelless check policy with policy [" + policy + "]: [The identity is not "
                    + (role == MSPRole.MSPRoleType.ADMIN ? "an admin" : "a member") + " under this MSP ["
                    + localMspId + "]]");
        }
        var signed = invocation.signedProposal();
        if (!creator.verify(signed.getProposalBytes().toByteArray(), signed.getSignature().toByteArray())) {
            return Optional.of("The signature is invalid");
        }
        return Optional.empty();
    }
}
