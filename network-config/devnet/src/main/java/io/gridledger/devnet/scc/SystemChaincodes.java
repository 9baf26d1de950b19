package io.gridledger.devnet.scc;

import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.policy.ChannelPolicies;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The system chaincodes one peer answers, by name: what its endorser consults before it refuses a chaincode that
 * is not defined on the channel.
 *
 * <pre>{@code
 * var scc = SystemChaincodes.forPeer("Org1MSP", ledger, channel.policies(), msps, memberOrgs, definitions);
 * scc.find("qscc").map(qscc -> qscc.invoke(invocation));
 * }</pre>
 */
public final class SystemChaincodes {

    private final Map<String, SystemChaincode> byName;
    private final Optional<AccessControl> access;

    /** @param access the peer's access control, which its endorser also applies; empty = everything allowed */
    public SystemChaincodes(List<SystemChaincode> chaincodes, Optional<AccessControl> access) {
        this.byName = chaincodes.stream().collect(Collectors.toUnmodifiableMap(SystemChaincode::name, Function.identity()));
        this.access = access;
    }

    /** No system chaincodes and no access control: every chaincode must be defined, every member may propose. */
    public static SystemChaincodes none() {
        return new SystemChaincodes(List.of(), Optional.empty());
    }

    /**
     * {@code qscc}, {@code cscc} and {@code _lifecycle} for the peer of org {@code mspId} on {@code ledger}'s channel.
     *
     * @param policies    the channel's policies (access control, chaincode policy references)
     * @param msps        the channel's MSPs
     * @param memberOrgs  the channel's member orgs
     * @param definitions the channel's chaincode definitions
     */
    public static SystemChaincodes forPeer(String mspId, ChannelLedger ledger, ChannelPolicies policies,
                                           IdentityDeserializer msps, Collection<String> memberOrgs,
                                           Collection<ChaincodeDefinition> definitions) {
        var access = new AccessControl(ledger.channelId(), policies, msps, mspId);
        return new SystemChaincodes(List.of(
                new Qscc(ledger, access),
                new Cscc(ledger, access),
                new Lifecycle(definitions, memberOrgs, policies, access)), Optional.of(access));
    }

    /**
     * Why a creator whose proposal signature is already verified may not use the channel resource {@code resource}
     * (see {@link AccessControl#denialForVerified}).
     */
    public Optional<String> denial(String resource, String channel, Identity verifiedCreator) {
        return access.flatMap(acl -> acl.denialForVerified(resource, channel, verifiedCreator));
    }

    public Optional<SystemChaincode> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
