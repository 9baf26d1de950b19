package io.gridledger.devnet.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.msp.Identity;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy a transaction's endorsements must satisfy: a chaincode's endorsement policy, a collection's, or a
 * key-level (state-based) one. It is either a signature policy, evaluated with {@link SignaturePolicyEvaluator}, or a
 * reference to a channel config policy such as {@code /Channel/Application/Endorsement}, resolved in
 * {@link ChannelPolicies}.
 *
 * <p>Where the bytes come from, as in Fabric 2.5:
 * <ul>
 *   <li>chaincode definitions and collection configs hold a {@code peer.ApplicationPolicy}:
 *       {@link #fromApplicationPolicy(ByteString, ChannelPolicies)};</li>
 *   <li>a key's {@code VALIDATION_PARAMETER} metadata entry (what the shim's {@code setStateValidationParameter}
 *       writes) holds a bare {@code common.SignaturePolicyEnvelope}, which Fabric's v20 validator wraps into an
 *       {@code ApplicationPolicy} before evaluating: {@link #fromValidationParameter(byte[])}.</li>
 * </ul>
 *
 * <p>Implementations are immutable values: equal policies are {@code equals}, which {@link EndorsementPlanner} uses
 * to cache plans.
 */
public sealed interface EndorsementPolicy permits EndorsementPolicy.Signature, EndorsementPolicy.ChannelReference {

    /**
     * Whether the endorsers (signatures already verified, in the order the transaction lists them) satisfy the
     * policy. Order matters: Fabric's evaluation is greedy.
     */
    boolean isSatisfiedBy(List<? extends Identity> endorsers);

    /** The policy as a chaincode definition stores it. */
    ApplicationPolicy toApplicationPolicy();

    /**
     * A signature policy.
     *
     * @throws IllegalArgumentException when the envelope does not compile
     */
    static EndorsementPolicy signature(SignaturePolicyEnvelope envelope) {
        return new Signature(SignaturePolicyEvaluator.compile(envelope));
    }

    /** A signature policy from policy text, e.g. {@code "AND('Org1MSP.peer', 'Org2MSP.peer')"}. */
    static EndorsementPolicy parse(String dsl) {
        return new Signature(SignaturePolicyEvaluator.parse(dsl));
    }

    /** A reference to a channel config policy, e.g. {@link ChannelPolicies#APPLICATION_ENDORSEMENT}. */
    static EndorsementPolicy channelReference(String reference, ChannelPolicies channelPolicies) {
        return new ChannelReference(reference, channelPolicies);
    }

    /**
     * A chaincode definition's policy as devnet's definitions write it ({@code chaincode/definition.yaml}'s
     * {@code EndorsementPolicy}): a channel policy reference when the text starts with {@code /}, as the peer CLI's
     * {@code --channel-config-policy} takes it, otherwise signature policy text, as {@code --signature-policy} does.
     */
    static EndorsementPolicy ofDefinition(String text, ChannelPolicies channelPolicies) {
        Objects.requireNonNull(text, "text");
        return text.startsWith("/") ? channelReference(text, channelPolicies) : parse(text);
    }

    /**
     * The policy a {@code peer.ApplicationPolicy} holds.
     *
     * @param channelPolicies resolves a {@code channel_config_policy_reference}
     * @throws IllegalArgumentException when the bytes are not an {@code ApplicationPolicy}, it sets neither field,
     *         or its signature policy does not compile; Fabric fails such a transaction's endorsement policy check
     */
    static EndorsementPolicy fromApplicationPolicy(ByteString applicationPolicy, ChannelPolicies channelPolicies) {
        Objects.requireNonNull(applicationPolicy, "applicationPolicy");
        try {
            return fromApplicationPolicy(ApplicationPolicy.parseFrom(applicationPolicy), channelPolicies);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("failed to unmarshal ApplicationPolicy bytes: " + e.getMessage(), e);
        }
    }

    /** The policy an {@code ApplicationPolicy} holds; see {@link #fromApplicationPolicy(ByteString, ChannelPolicies)}. */
    static EndorsementPolicy fromApplicationPolicy(ApplicationPolicy applicationPolicy, ChannelPolicies channelPolicies) {
        Objects.requireNonNull(applicationPolicy, "applicationPolicy");
        return switch (applicationPolicy.getTypeCase()) {
            case SIGNATURE_POLICY -> signature(applicationPolicy.getSignaturePolicy());
            case CHANNEL_CONFIG_POLICY_REFERENCE ->
                    channelReference(applicationPolicy.getChannelConfigPolicyReference(), channelPolicies);
            case TYPE_NOT_SET -> throw new IllegalArgumentException(
                    "unsupported ApplicationPolicy: neither signature_policy nor channel_config_policy_reference is set");
        };
    }

    /**
     * The key-level policy a key's {@code VALIDATION_PARAMETER} metadata holds: a bare
     * {@code SignaturePolicyEnvelope}. Empty (or absent) bytes mean the key has no key-level policy, and the
     * chaincode's (or collection's) policy applies, as in Fabric.
     *
     * @throws IllegalArgumentException when the bytes are not a {@code SignaturePolicyEnvelope} or it does not
     *         compile
     */
    static Optional<EndorsementPolicy> fromValidationParameter(byte[] validationParameter) {
        if (validationParameter == null || validationParameter.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(signature(SignaturePolicyEnvelope.parseFrom(validationParameter)));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(
                    "could not unmarshal signature policy envelope of a validation parameter: " + e.getMessage(), e);
        }
    }

    /** A signature policy, compiled. */
    record Signature(SignaturePolicyEvaluator evaluator) implements EndorsementPolicy {

        public Signature {
            Objects.requireNonNull(evaluator, "evaluator");
        }

        public SignaturePolicyEnvelope envelope() {
            return evaluator.envelope();
        }

        @Override
        public boolean isSatisfiedBy(List<? extends Identity> endorsers) {
            return evaluator.evaluate(endorsers);
        }

        @Override
        public ApplicationPolicy toApplicationPolicy() {
            return ApplicationPolicy.newBuilder().setSignaturePolicy(evaluator.envelope()).build();
        }

        @Override
        public String toString() {
            return evaluator.toString();
        }
    }

    /**
     * A channel config policy reference; never satisfied when the channel has no such policy (Fabric fails the
     * evaluation).
     */
    record ChannelReference(String reference, ChannelPolicies channelPolicies) implements EndorsementPolicy {

        public ChannelReference {
            Objects.requireNonNull(reference, "reference");
            Objects.requireNonNull(channelPolicies, "channelPolicies");
        }

        @Override
        public boolean isSatisfiedBy(List<? extends Identity> endorsers) {
            return channelPolicies.isSatisfied(reference, endorsers);
        }

        @Override
        public ApplicationPolicy toApplicationPolicy() {
            return ApplicationPolicy.newBuilder().setChannelConfigPolicyReference(reference).build();
        }

        @Override
        public String toString() {
            return reference + channelPolicies.find(reference).map(policy -> " (" + policy.ruleText() + ")").orElse("");
        }
    }
}
