package io.gridledger.devnet.policy;

import io.gridledger.devnet.msp.Identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The policies of a channel's configuration, resolved by reference as Fabric's policy manager resolves them:
 * {@code /Channel/Application/Endorsement} (absolute) or {@code Application/Endorsement} (relative to
 * {@code /Channel}), down to org policies such as {@code /Channel/Application/Org1/Endorsement}.
 *
 * <p>Chaincode definitions refer to these policies: the default endorsement policy of a chaincode is
 * {@link #APPLICATION_ENDORSEMENT}, lifecycle approvals use {@link #APPLICATION_LIFECYCLE_ENDORSEMENT}, the orderer
 * checks block signatures against {@link #ORDERER_BLOCK_VALIDATION}.
 *
 * <pre>{@code
 * ChannelPolicies policies = channelDefinition.policies();
 * boolean endorsed = policies.isSatisfied(ChannelPolicies.APPLICATION_ENDORSEMENT, endorsers);
 * }</pre>
 *
 * <p>Signature policies are compiled once, when the instance is built; instances are immutable and thread-safe.
 */
public final class ChannelPolicies {

    /** The name of the root group, which absolute references start with. */
    public static final String CHANNEL = "Channel";

    public static final String CHANNEL_READERS = "/Channel/Readers";
    public static final String CHANNEL_WRITERS = "/Channel/Writers";
    public static final String CHANNEL_ADMINS = "/Channel/Admins";
    public static final String APPLICATION_READERS = "/Channel/Application/Readers";
    public static final String APPLICATION_WRITERS = "/Channel/Application/Writers";
    public static final String APPLICATION_ADMINS = "/Channel/Application/Admins";
    public static final String APPLICATION_ENDORSEMENT = "/Channel/Application/Endorsement";
    public static final String APPLICATION_LIFECYCLE_ENDORSEMENT = "/Channel/Application/LifecycleEndorsement";
    public static final String ORDERER_BLOCK_VALIDATION = "/Channel/Orderer/BlockValidation";

    /** A compiled policy: decides on a list of signers. */
    @FunctionalInterface
    private interface Decider {
        boolean decide(List<? extends Identity> signers);
    }

    private static final String PREFIX = "/" + CHANNEL + "/";

    private final PolicyGroup channel;
    /** Every policy by its path relative to /Channel, e.g. "Application/Org1/Endorsement". */
    private final Map<String, ConfigPolicy> definitions = new HashMap<>();
    private final Map<String, Decider> deciders = new HashMap<>();

    /**
     * @param channel the {@code /Channel} group: its policies and sub-groups ({@code Application}, {@code Orderer})
     * @throws IllegalArgumentException when a signature policy does not compile
     */
    public ChannelPolicies(PolicyGroup channel) {
        this.channel = Objects.requireNonNull(channel, "channel");
        compile("", channel);
    }

    /** The {@code /Channel} group this instance was built from. */
    public PolicyGroup channelGroup() {
        return channel;
    }

    /** The policy a reference names, if the channel has it. */
    public Optional<ConfigPolicy> find(String reference) {
        return relativePath(reference).map(definitions::get);
    }

    /**
     * Whether {@code signers} (signatures already verified) satisfy the policy {@code reference} names. A reference
     * to a policy the channel does not have is never satisfied, as with Fabric's reject policy.
     */
    public boolean isSatisfied(String reference, List<? extends Identity> signers) {
        Objects.requireNonNull(signers, "signers");
        return relativePath(reference).map(deciders::get).map(decider -> decider.decide(signers)).orElse(false);
    }

    /**
     * Why {@code signers} do not satisfy the policy {@code reference} names, in the words of Fabric's policy
     * evaluation (what its ACL checks report), or empty when they do. For an implicit meta policy:
     * {@code implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the
     * 'Readers' sub-policies to be satisfied}.
     */
    public Optional<String> evaluationFailure(String reference, List<? extends Identity> signers) {
        Objects.requireNonNull(signers, "signers");
        var path = relativePath(reference);
        if (path.isEmpty()) {
            return Optional.of("no such policy: '" + reference + "'");
        }
        var decider = deciders.get(path.get());
        if (decider.decide(signers)) {
            return Optional.empty();
        }
        if (decider instanceof ImplicitMetaDecider meta) {
            return Optional.of("implicit policy evaluation failed - " + meta.satisfied(signers)
                    + " sub-policies were satisfied, but this policy requires " + meta.threshold() + " of the '"
                    + meta.subPolicy() + "' sub-policies to be satisfied");
        }
        return Optional.of("signature set did not satisfy policy");
    }

    private Optional<String> relativePath(String reference) {
        Objects.requireNonNull(reference, "reference");
        String path;
        if (reference.startsWith("/")) {
            if (!reference.startsWith(PREFIX)) {
                return Optional.empty();
            }
            path = reference.substring(PREFIX.length());
        } else {
            path = reference;
        }
        return deciders.containsKey(path) ? Optional.of(path) : Optional.empty();
    }

    /** Compiles {@code group}, registered under {@code prefix}, sub-groups first: implicit meta policies need them. */
    private Map<String, Decider> compile(String prefix, PolicyGroup group) {
        var subGroupDeciders = new ArrayList<Map<String, Decider>>();
        group.groups().forEach((name, subGroup) -> subGroupDeciders.add(compile(prefix + name + "/", subGroup)));

        var own = new HashMap<String, Decider>();
        group.policies().forEach((name, policy) -> {
            Decider decider;
            if (policy instanceof ConfigPolicy.Signature signature) {
                decider = SignaturePolicyEvaluator.compile(signature.envelope())::evaluate;
            } else {
                decider = implicitMeta((ImplicitMetaPolicy) policy, subGroupDeciders);
            }
            own.put(name, decider);
            definitions.put(prefix + name, policy);
            deciders.put(prefix + name, decider);
        });
        return own;
    }

    private static Decider implicitMeta(ImplicitMetaPolicy meta, List<Map<String, Decider>> subGroups) {
        var subPolicies = new ArrayList<Decider>();
        for (Map<String, Decider> subGroup : subGroups) {
            subPolicies.add(subGroup.getOrDefault(meta.subPolicy(), signers -> false));
        }
        return new ImplicitMetaDecider(meta.subPolicy(), List.copyOf(subPolicies), meta.threshold(subPolicies.size()));
    }

    /** An implicit meta policy compiled: the named sub-policy of each sub-group, of which {@code threshold} must hold. */
    private record ImplicitMetaDecider(String subPolicy, List<Decider> subPolicies, int threshold) implements Decider {

        @Override
        public boolean decide(List<? extends Identity> signers) {
            if (threshold == 0) {
                return true;
            }
            int satisfied = 0;
            for (Decider policy : subPolicies) {
                if (policy.decide(signers) && ++satisfied >= threshold) {
                    return true;
                }
            }
            return false;
        }

        int satisfied(List<? extends Identity> signers) {
            return (int) subPolicies.stream().filter(policy -> policy.decide(signers)).count();
        }
    }

    @Override
    public String toString() {
        return "ChannelPolicies" + new java.util.TreeMap<>(definitions);
    }
}
