package io.gridledger.devnet.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/** Channel policy trees like configtxgen builds from fabric-samples' configtx.yaml, for any number of orgs. */
final class ChannelPolicyFixtures {

    private ChannelPolicyFixtures() {}

    /** Orgs Org1..OrgN (MSP IDs Org1MSP..OrgNMSP), each with {@code Endorsement = OR('OrgiMSP.peer')}. */
    static ChannelPolicies orgs(int count) {
        var orgs = new LinkedHashMap<String, PolicyGroup>();
        for (int i = 1; i <= count; i++) {
            String msp = "Org" + i + "MSP";
            orgs.put("Org" + i, PolicyGroup.leaf(Map.of(
                    "Readers", ConfigPolicy.signature("OR('" + msp + ".admin', '" + msp + ".peer', '" + msp + ".client')"),
                    "Writers", ConfigPolicy.signature("OR('" + msp + ".admin', '" + msp + ".client')"),
                    "Admins", ConfigPolicy.signature("OR('" + msp + ".admin')"),
                    "Endorsement", ConfigPolicy.signature("OR('" + msp + ".peer')"))));
        }
        var application = PolicyGroup.of(Map.of(
                "Readers", ImplicitMetaPolicy.parse("ANY Readers"),
                "Writers", ImplicitMetaPolicy.parse("ANY Writers"),
                "Admins", ImplicitMetaPolicy.parse("MAJORITY Admins"),
                "Endorsement", ImplicitMetaPolicy.parse("MAJORITY Endorsement"),
                "LifecycleEndorsement", ImplicitMetaPolicy.parse("MAJORITY Endorsement"),
                "AllEndorse", ImplicitMetaPolicy.parse("ALL Endorsement"),
                "AnyEndorses", ImplicitMetaPolicy.parse("ANY Endorsement"),
                "MajorityAudits", ImplicitMetaPolicy.parse("MAJORITY Audit")), orgs);
        var channel = PolicyGroup.of(Map.of(
                "Readers", ImplicitMetaPolicy.parse("ANY Readers"),
                "Writers", ImplicitMetaPolicy.parse("ANY Writers"),
                "Admins", ImplicitMetaPolicy.parse("MAJORITY Admins")), Map.of("Application", application));
        return new ChannelPolicies(channel);
    }
}
