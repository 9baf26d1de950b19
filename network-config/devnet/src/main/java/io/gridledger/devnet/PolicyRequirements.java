package io.gridledger.devnet;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.chaincode.ChaincodeDefinition;
import io.gridledger.devnet.ledger.EndorsementRequirements;
import io.gridledger.devnet.ledger.RequiredPolicies;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.policy.ChannelDefinition;
import io.gridledger.devnet.policy.ChannelPolicies;
import io.gridledger.devnet.policy.EndorsementPlanner;
import io.gridledger.devnet.policy.EndorsementPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channel's endorsement rules from its configtx.yaml profile and its chaincode definitions: chaincode policies
 * (a channel policy reference or a signature policy), and key-level policies decoded from {@code VALIDATION_PARAMETER}
 * metadata (cached by their bytes, since the same few policies recur on many keys).
 */
public final class PolicyRequirements implements EndorsementRequirements {

    private final Map<String, EndorsementPolicy> chaincodePolicies = new ConcurrentHashMap<>();
    private final Map<ByteString, Optional<EndorsementPolicy>> keyPolicies = new ConcurrentHashMap<>();
    private final Map<Map<String, Identity>, EndorsementPlanner> planners = new ConcurrentHashMap<>();

    public PolicyRequirements(ChannelDefinition channel, Map<String, ChaincodeDefinition> chaincodes) {
        ChannelPolicies policies = channel.policies();
        chaincodes.forEach((name, definition) ->
                chaincodePolicies.put(name, EndorsementPolicy.ofDefinition(definition.endorsementPolicy(), policies)));
    }

    @Override
    public boolean satisfiesChaincodePolicy(String chaincode, List<Identity> endorsers) {
        var policy = chaincodePolicies.get(chaincode);
        return policy != null && policy.isSatisfiedBy(endorsers);
    }

    @Override
    public boolean satisfiesKeyPolicy(ByteString validationParameter, List<Identity> endorsers) {
        return keyPolicy(validationParameter).map(p -> p.isSatisfiedBy(endorsers)).orElse(false);
    }

    @Override
    public Optional<List<String>> plan(String chaincode, RequiredPolicies required, Map<String, Identity> peers,
                                       String localOrg) {
        var policies = new ArrayList<EndorsementPolicy>();
        if (required.chaincodePolicy()) {
            var policy = chaincodePolicies.get(chaincode);
            if (policy == null) {
                return Optional.empty();
            }
            policies.add(policy);
        }
        for (var bytes : required.keyPolicies()) {
            var policy = keyPolicy(bytes);
            if (policy.isEmpty()) {
                return Optional.empty();
            }
            policies.add(policy.get());
        }
        var planner = planners.computeIfAbsent(Map.copyOf(peers), EndorsementPlanner::new);
        return planner.plan(policies, localOrg, java.util.concurrent.ThreadLocalRandom.current());
    }

    private Optional<EndorsementPolicy> keyPolicy(ByteString bytes) {
        return keyPolicies.computeIfAbsent(bytes, b -> EndorsementPolicy.fromValidationParameter(b.toByteArray()));
    }
}
