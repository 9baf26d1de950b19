package io.gridledger.devnet.policy;

import org.hyperledger.fabric.protos.common.Policy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.Objects;

/**
 * A policy of a channel configuration group, as {@code configtx.yaml} declares it ({@code Type} and {@code Rule})
 * and as the channel config stores it ({@link #toProto()}): either a signature policy or an implicit meta policy
 * over the group's sub-groups.
 */
public sealed interface ConfigPolicy permits ConfigPolicy.Signature, ImplicitMetaPolicy {

    /** {@code configtx.yaml}'s {@code Type} of a signature policy. */
    String SIGNATURE_TYPE = "Signature";

    /** {@code configtx.yaml}'s {@code Type} of an implicit meta policy. */
    String IMPLICIT_META_TYPE = "ImplicitMeta";

    /** {@code Signature} or {@code ImplicitMeta}. */
    String type();

    /** The rule as {@code configtx.yaml} writes it, e.g. {@code OR('Org1MSP.peer')} or {@code MAJORITY Endorsement}. */
    String ruleText();

    /** The {@code common.Policy} a channel config holds for this policy. */
    Policy toProto();

    /**
     * A policy from {@code configtx.yaml}'s {@code Type} and {@code Rule}, parsed as Fabric's configtxgen parses it.
     *
     * @throws IllegalArgumentException for an unknown type or a rule that does not parse
     */
    static ConfigPolicy of(String type, String rule) {
        Objects.requireNonNull(rule, "rule");
        return switch (Objects.requireNonNull(type, "type")) {
            case SIGNATURE_TYPE -> new Signature(rule, SignaturePolicies.parse(rule));
            case IMPLICIT_META_TYPE -> ImplicitMetaPolicy.parse(rule);
            default -> throw new IllegalArgumentException(
                    "unknown policy type: '" + type + "' (expected Signature or ImplicitMeta)");
        };
    }

    /** A signature policy parsed from {@code rule}. */
    static Signature signature(String rule) {
        return new Signature(rule, SignaturePolicies.parse(rule));
    }

    /**
     * A signature policy.
     *
     * @param rule the policy text it was parsed from (or rendered as, when built from an envelope)
     */
    record Signature(String rule, SignaturePolicyEnvelope envelope) implements ConfigPolicy {

        public Signature {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(envelope, "envelope");
        }

        /** A signature policy for an envelope built elsewhere. */
        public Signature(SignaturePolicyEnvelope envelope) {
            this(SignaturePolicies.toString(envelope), envelope);
        }

        @Override
        public String type() {
            return SIGNATURE_TYPE;
        }

        @Override
        public String ruleText() {
            return rule;
        }

        @Override
        public Policy toProto() {
            return Policy.newBuilder()
                    .setType(Policy.PolicyType.SIGNATURE_VALUE)
                    .setValue(envelope.toByteString())
                    .build();
        }
    }
}
