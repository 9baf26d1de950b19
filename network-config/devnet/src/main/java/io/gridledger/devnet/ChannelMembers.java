package io.gridledger.devnet;

import io.gridledger.devnet.policy.ChannelDefinition;
import io.gridledger.devnet.policy.ConfigPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Fits the configtx.yaml channel to the member orgs devnet runs: orgs the profile defines keep their policies;
 * extra orgs (devnet {@code --orgs} above the file's count) get the first org's policies with its MSP ID replaced,
 * the way configtx.yaml writes one org section per member.
 */
final class ChannelMembers {

    private ChannelMembers() {
    }

    static ChannelDefinition restrict(ChannelDefinition channel, List<String> memberIds) {
        var template = channel.applicationOrgs().get(0);
        var orgs = new ArrayList<ChannelDefinition.Organization>();
        for (var mspId : memberIds) {
            var defined = channel.applicationOrg(mspId);
            if (defined.isPresent()) {
                orgs.add(defined.get());
                continue;
            }
            var policies = new TreeMap<String, ConfigPolicy>();
            template.policies().forEach((name, policy) -> policies.put(name,
                    ConfigPolicy.of(policy.type(), policy.ruleText().replace(template.mspId(), mspId))));
            var name = mspId.endsWith("MSP") ? mspId.substring(0, mspId.length() - 3) : mspId;
            orgs.add(new ChannelDefinition.Organization(name, mspId, template.mspDir(), template.mspType(), policies,
                    List.of()));
        }
        return new ChannelDefinition(channel.channelName(), channel.profile(), channel.channelPolicies(),
                channel.channelCapabilities(), orgs, channel.applicationPolicies(), channel.applicationCapabilities(),
                channel.orderer());
    }
}
