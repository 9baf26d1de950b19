package io.gridledger.chaincode.ledger;

import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Key-level (state-based) endorsement policies for jobs and their escrow.
 *
 * <p>Once a job is assigned, its job and escrow keys carry the policy "a majority of member orgs, at least
 * one of which is not interested in the job" — interested being the client's org and every org the job pays.
 * Fabric's signature-policy evaluation lets each endorsement satisfy only one {@code SignedBy} of the whole
 * policy, so it is written as
 * <pre>
 *   OutOf(1, for each independent member i: AND( SignedBy(peer of i), OutOf(majority − 1, peers of the other members) ))
 * </pre>
 * so completing the job and moving its escrow needs a majority of member orgs <em>and</em> at least one
 * org with nothing at stake: neither the providers' orgs nor the client's can certify the outcome they gain
 * from. When every member is interested, every member must endorse. The chaincode-level policy (MAJORITY of the
 * channel) still governs every other key.
 *
 * <p>The value is a serialised {@code common.SignaturePolicyEnvelope}, the format Fabric's key-level
 * validation expects (the same as the shim's {@code StateBasedEndorsement.policy()}, which can only
 * express "all of these orgs").
 */
public final class EndorsementPolicies {

    private EndorsementPolicies() {
    }

    /**
     * @param members    member orgs of the consortium
     * @param interested the client's org and the orgs of the provider nodes the job would pay
     */
    public static byte[] jobCompletion(Collection<String> members, Collection<String> interested) {
        var orgs = List.copyOf(new TreeSet<>(members));
        var independent = new ArrayList<Integer>();
        var everyone = new ArrayList<SignaturePolicy>();
        for (int i = 0; i < orgs.size(); i++) {
            everyone.add(signedBy(i));
            if (!interested.contains(orgs.get(i))) {
                independent.add(i);
            }
        }
        int majority = orgs.size() / 2 + 1;
        SignaturePolicy rule;
        if (independent.isEmpty()) {
            // Every member is interested: no independent org exists, so all members must endorse.
            rule = outOf(orgs.size(), everyone);
        } else {
            // Fabric lets one endorsement satisfy only one SignedBy in the whole policy, so "a majority AND one
            // independent org" is written as: for some independent org i, i endorses AND (majority - 1) others do.
            var branches = new ArrayList<SignaturePolicy>();
            for (int i : independent) {
                var others = new ArrayList<SignaturePolicy>();
                for (int j = 0; j < orgs.size(); j++) {
                    if (j != i) {
                        others.add(signedBy(j));
                    }
                }
                branches.add(outOf(2, List.of(signedBy(i), outOf(majority - 1, others))));
            }
            rule = outOf(1, branches);
        }
        var envelope = SignaturePolicyEnvelope.newBuilder().setVersion(0).setRule(rule);
        for (var org : orgs) {
            envelope.addIdentities(MSPPrincipal.newBuilder()
                    .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                    .setPrincipal(MSPRole.newBuilder().setMspIdentifier(org).setRole(MSPRole.MSPRoleType.PEER).build().toByteString())
                    .build());
        }
        return envelope.build().toByteArray();
    }

    private static SignaturePolicy signedBy(int index) {
        return SignaturePolicy.newBuilder().setSignedBy(index).build();
    }

    private static SignaturePolicy outOf(int n, List<SignaturePolicy> rules) {
        return SignaturePolicy.newBuilder()
                .setNOutOf(SignaturePolicy.NOutOf.newBuilder().setN(n).addAllRules(rules))
                .build();
    }
}
