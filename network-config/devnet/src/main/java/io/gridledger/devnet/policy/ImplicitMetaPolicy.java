package io.gridledger.devnet.policy;

import org.hyperledger.fabric.protos.common.Policy;

import java.util.Objects;

/**
 * Fabric's implicit meta policy: {@code ANY}, {@code ALL} or {@code MAJORITY} of the sub-groups of a config group
 * (the orgs of {@code /Channel/Application}, say) satisfy their own policy named {@link #subPolicy()}. It is how
 * {@code /Channel/Application/Endorsement = MAJORITY Endorsement} asks for endorsements from more than half of the
 * application orgs without naming them.
 *
 * <p>Thresholds, as in Fabric: ANY needs 1, ALL needs every sub-group, MAJORITY needs {@code n / 2 + 1} (more than
 * half: 2 of 3, 3 of 4); a group with no sub-groups needs 0, so every rule is satisfied. A sub-group without the
 * named policy counts towards {@code n} but is never satisfied. Each sub-policy is evaluated on its own against all
 * the signers, so one signer may count for several sub-groups.
 */
public record ImplicitMetaPolicy(Rule rule, String subPolicy) implements ConfigPolicy {

    /** How many sub-groups must be satisfied. */
    public enum Rule { ANY, ALL, MAJORITY }

    public ImplicitMetaPolicy {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subPolicy, "subPolicy");
    }

    /**
     * Parses {@code configtx.yaml}'s rule, e.g. {@code "MAJORITY Endorsement"}: exactly two tokens separated by one
     * space, the first {@code ANY}, {@code ALL} or {@code MAJORITY} in upper case, as Fabric's
     * {@code ImplicitMetaFromString} requires.
     */
    public static ImplicitMetaPolicy parse(String text) {
        Objects.requireNonNull(text, "text");
        String[] tokens = text.split(" ", -1);
        if (tokens.length != 2) {
            throw new IllegalArgumentException("invalid implicit meta policy rule '" + text
                    + "': expected two space separated tokens, but got " + tokens.length);
        }
        Rule rule = switch (tokens[0]) {
            case "ANY" -> Rule.ANY;
            case "ALL" -> Rule.ALL;
            case "MAJORITY" -> Rule.MAJORITY;
            default -> throw new IllegalArgumentException("invalid implicit meta policy rule '" + text
                    + "': unknown rule type '" + tokens[0] + "', expected ALL, ANY, or MAJORITY");
        };
        return new ImplicitMetaPolicy(rule, tokens[1]);
    }

    /** How many of {@code subGroups} sub-groups must be satisfied. */
    public int threshold(int subGroups) {
        if (subGroups == 0) {
            return 0;
        }
        return switch (rule) {
            case ANY -> 1;
            case ALL -> subGroups;
            case MAJORITY -> subGroups / 2 + 1;
        };
    }

    @Override
    public String type() {
        return IMPLICIT_META_TYPE;
    }

    @Override
    public String ruleText() {
        return rule.name() + " " + subPolicy;
    }

    @Override
    public Policy toProto() {
        var value = org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.newBuilder()
                .setRule(org.hyperledger.fabric.protos.common.ImplicitMetaPolicy.Rule.valueOf(rule.name()))
                .setSubPolicy(subPolicy)
                .build();
        return Policy.newBuilder()
                .setType(Policy.PolicyType.IMPLICIT_META_VALUE)
                .setValue(value.toByteString())
                .build();
    }

    @Override
    public String toString() {
        return ruleText();
    }
}
