package io.gridledger.chaincode.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a signature policy the way Fabric's validator does ({@code common/policies/cauthdsl}): every endorsement
 * is one peer identity, each identity can satisfy at most one {@code SignedBy} in the whole policy tree, and an
 * {@code NOutOf} evaluates all of its rules in order, greedily, keeping the identities each satisfied rule used.
 *
 * <pre>{@code
 * boolean ok = SignaturePolicyEvaluator.satisfiedBy(policyBytes, List.of("Org1MSP", "Org3MSP"));
 * }</pre>
 */
public final class SignaturePolicyEvaluator {

    private SignaturePolicyEvaluator() {
    }

    /** True when peers of {@code endorsingOrgs} (one peer identity per entry; list an org twice for two peers) satisfy it. */
    public static boolean satisfiedBy(byte[] policy, List<String> endorsingOrgs) {
        try {
            return satisfiedBy(SignaturePolicyEnvelope.parseFrom(policy), endorsingOrgs);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("not a SignaturePolicyEnvelope", e);
        }
    }

    public static boolean satisfiedBy(SignaturePolicyEnvelope envelope, List<String> endorsingOrgs) {
        return evaluate(envelope.getRule(), envelope, endorsingOrgs, new boolean[endorsingOrgs.size()]);
    }

    /** Every subset of {@code orgs}, each org endorsing with one peer. */
    public static List<List<String>> subsets(List<String> orgs) {
        var subsets = new ArrayList<List<String>>();
        for (int mask = 0; mask < 1 << orgs.size(); mask++) {
            var subset = new ArrayList<String>();
            for (int i = 0; i < orgs.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    subset.add(orgs.get(i));
                }
            }
            subsets.add(subset);
        }
        return subsets;
    }

    public static MSPRole role(MSPPrincipal principal) {
        if (principal.getPrincipalClassification() != MSPPrincipal.Classification.ROLE) {
            throw new AssertionError("principal is not a ROLE: " + principal);
        }
        try {
            return MSPRole.parseFrom(principal.getPrincipal());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("principal is not an MSPRole", e);
        }
    }

    private static boolean evaluate(SignaturePolicy rule, SignaturePolicyEnvelope envelope, List<String> endorsers,
                                    boolean[] used) {
        switch (rule.getTypeCase()) {
            case SIGNED_BY -> {
                var principal = role(envelope.getIdentities(rule.getSignedBy()));
                for (int i = 0; i < endorsers.size(); i++) {
                    // every endorser is a peer; it satisfies a PEER or MEMBER principal of its own org
                    boolean roleMatches = principal.getRole() == MSPRole.MSPRoleType.PEER
                            || principal.getRole() == MSPRole.MSPRoleType.MEMBER;
                    if (!used[i] && roleMatches && endorsers.get(i).equals(principal.getMspIdentifier())) {
                        used[i] = true;
                        return true;
                    }
                }
                return false;
            }
            case N_OUT_OF -> {
                int verified = 0;
                var scratch = new boolean[used.length];
                for (var sub : rule.getNOutOf().getRulesList()) {
                    System.arraycopy(used, 0, scratch, 0, used.length);
                    if (evaluate(sub, envelope, endorsers, scratch)) {
                        verified++;
                        System.arraycopy(scratch, 0, used, 0, used.length);
                    }
                }
                return verified >= rule.getNOutOf().getN();
            }
            default -> throw new AssertionError("unexpected rule " + rule);
        }
    }
}
