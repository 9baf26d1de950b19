package io.gridledger.devnet.policy;

import io.gridledger.devnet.msp.Identity;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a set of signers satisfies a {@link SignaturePolicyEnvelope}, with the semantics of Fabric's
 * {@code cauthdsl}, so that devnet accepts and refuses exactly the signature sets a Fabric peer or orderer would.
 *
 * <p>Those semantics are greedy, not a search for an assignment of signers to principals:
 * <ul>
 *   <li>signers are first deduplicated by identity (MSP ID and certificate), keeping the first occurrence;</li>
 *   <li>each signer satisfies at most one {@code SignedBy}; a {@code SignedBy} takes the first unused signer, in list
 *       order, that satisfies its principal;</li>
 *   <li>an {@code OutOf} gate evaluates every one of its rules (even after enough have passed), each on a copy of the
 *       "used" marks; a rule that passes keeps the signers it used, a rule that fails gives them back.</li>
 * </ul>
 * Hence {@code AND('Org1MSP.member', 'Org1MSP.peer')} fails for the signers [peer, client] (the peer is taken for
 * {@code member}) but passes for [client, peer]. Signatures must already be verified; principals are matched with
 * {@link Identity#satisfies(MSPPrincipal)}.
 *
 * <p>Instances are immutable and thread-safe; equal envelopes give equal evaluators.
 */
public final class SignaturePolicyEvaluator {

    @FunctionalInterface
    private interface Gate {
        boolean test(List<Identity> signers, boolean[] used);
    }

    private final SignaturePolicyEnvelope envelope;
    private final Gate root;

    private SignaturePolicyEvaluator(SignaturePolicyEnvelope envelope, Gate root) {
        this.envelope = envelope;
        this.root = root;
    }

    /**
     * Compiles an envelope as Fabric does before evaluating it.
     *
     * @throws IllegalArgumentException when the rule is missing or empty, or a {@code SignedBy} points past the
     *         principals (Fabric then fails the evaluation: treat it as an unsatisfied policy)
     */
    public static SignaturePolicyEvaluator compile(SignaturePolicyEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (!envelope.hasRule()) {
            throw new IllegalArgumentException("signature policy has no rule (Fabric: Empty policy element)");
        }
        return new SignaturePolicyEvaluator(envelope, compile(envelope.getRule(), envelope.getIdentitiesList()));
    }

    /** Parses and compiles policy text, e.g. {@code "OR('Org1MSP.peer')"}. */
    public static SignaturePolicyEvaluator parse(String dsl) {
        return compile(SignaturePolicies.parse(dsl));
    }

    private static Gate compile(SignaturePolicy rule, List<MSPPrincipal> principals) {
        return switch (rule.getTypeCase()) {
            case N_OUT_OF -> {
                int n = rule.getNOutOf().getN();
                var rules = new ArrayList<Gate>();
                for (SignaturePolicy nested : rule.getNOutOf().getRulesList()) {
                    rules.add(compile(nested, principals));
                }
                yield (signers, used) -> {
                    int verified = 0;
                    boolean[] trial = new boolean[used.length];
                    for (Gate nested : rules) {
                        System.arraycopy(used, 0, trial, 0, used.length);
                        if (nested.test(signers, trial)) {
                            verified++;
                            System.arraycopy(trial, 0, used, 0, used.length);
                        }
                    }
                    return verified >= n;
                };
            }
            case SIGNED_BY -> {
                int index = rule.getSignedBy();
                if (index < 0 || index >= principals.size()) {
                    throw new IllegalArgumentException("identity index out of range, requested " + index
                            + ", but identities length is " + principals.size());
                }
                MSPPrincipal principal = principals.get(index);
                yield (signers, used) -> {
                    for (int i = 0; i < signers.size(); i++) {
                        if (!used[i] && signers.get(i).satisfies(principal)) {
                            used[i] = true;
                            return true;
                        }
                    }
                    return false;
                };
            }
            case TYPE_NOT_SET -> throw new IllegalArgumentException(
                    "signature policy has an empty rule (Fabric: Empty policy element)");
        };
    }

    /** Whether {@code signers} (signatures already verified, in transaction order) satisfy the policy. */
    public boolean evaluate(List<? extends Identity> signers) {
        Objects.requireNonNull(signers, "signers");
        List<Identity> distinct = deduplicate(signers);
        return root.test(distinct, new boolean[distinct.size()]);
    }

    /** The envelope this evaluator was compiled from. */
    public SignaturePolicyEnvelope envelope() {
        return envelope;
    }

    /**
     * Drops repeated identities, keeping the first, as Fabric's {@code SignatureSetToValidIdentities} does. Fabric
     * keys identities by MSP ID and the SHA-256 of the certificate; without a certificate the serialized identity is
     * used.
     */
    static List<Identity> deduplicate(List<? extends Identity> signers) {
        var seen = new LinkedHashSet<String>();
        var distinct = new ArrayList<Identity>(signers.size());
        for (Identity signer : signers) {
            if (seen.add(identityKey(signer))) {
                distinct.add(signer);
            }
        }
        return distinct;
    }

    private static String identityKey(Identity identity) {
        var certificate = identity.certificate();
        if (certificate == null) {
            return identity.mspId() + "\0serialized:" + HexFormat.of().formatHex(identity.serialized().toByteArray());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return identity.mspId() + "\0" + HexFormat.of().formatHex(digest);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate of an identity of " + identity.mspId()
                    + " cannot be encoded", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignaturePolicyEvaluator evaluator && evaluator.envelope.equals(envelope);
    }

    @Override
    public int hashCode() {
        return envelope.hashCode();
    }

    @Override
    public String toString() {
        return SignaturePolicies.toString(envelope);
    }
}
