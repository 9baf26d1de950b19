package io.gridledger.devnet.policy;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.common.SignaturePolicy;
import org.hyperledger.fabric.protos.common.SignaturePolicyEnvelope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fabric's signature policy language: {@code AND}, {@code OR} and {@code OutOf} gates over principals such as
 * {@code 'Org1MSP.peer'}, turned into the {@link SignaturePolicyEnvelope} that Fabric's {@code policydsl.FromString}
 * produces for the same text, byte for byte.
 *
 * <p>What "the same" means, since it is not obvious:
 * <ul>
 *   <li>principals are listed in the order Fabric's evaluation meets them: a gate's own principals are added after
 *       the principals of the gates nested in it, so {@code OR('A.member', AND('B.member', 'C.member'))} lists B, C,
 *       then A;</li>
 *   <li>a principal named twice is listed twice (Fabric does not deduplicate);</li>
 *   <li>gate names are {@code And/and/AND}, {@code Or/or/OR}, {@code OutOf/outof/OUTOF}; roles are
 *       {@code member, admin, client, peer, orderer}; MSP IDs are letters, digits, dots and dashes;</li>
 *   <li>{@code OutOf(t, ...)} with n arguments accepts {@code 0 <= t <= n + 1} (n + 1 makes a key immutable), and
 *       {@code t} may be written as a quoted number;</li>
 *   <li>the envelope's version is 0.</li>
 * </ul>
 *
 * <pre>{@code
 * SignaturePolicyEnvelope envelope = SignaturePolicies.parse("OR('Org1MSP.peer', 'Org2MSP.peer')");
 * log.info("endorsement policy {}", SignaturePolicies.toString(envelope));
 * }</pre>
 */
public final class SignaturePolicies {

    private static final Pattern PRINCIPAL =
            Pattern.compile("([A-Za-z0-9.-]+)[.](admin|member|client|peer|orderer)");

    private static final Set<String> GATES = Set.of("And", "and", "AND", "Or", "or", "OR", "OutOf", "outof", "OUTOF");

    private SignaturePolicies() {}

    /**
     * Parses policy text into the envelope Fabric would build.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static SignaturePolicyEnvelope parse(String dsl) {
        Objects.requireNonNull(dsl, "dsl");
        try {
            return fromString(dsl);
        } catch (GateExpression.DslException e) {
            throw new IllegalArgumentException("invalid signature policy \"" + dsl + "\": " + e.getMessage(), e);
        }
    }

    /** {@code SignedBy(index)}: signed by the envelope's principal at {@code index}. */
    public static SignaturePolicy signedBy(int index) {
        return SignaturePolicy.newBuilder().setSignedBy(index).build();
    }

    /** At least {@code n} of {@code rules}. */
    public static SignaturePolicy nOutOf(int n, List<SignaturePolicy> rules) {
        return SignaturePolicy.newBuilder()
                .setNOutOf(SignaturePolicy.NOutOf.newBuilder().setN(n).addAllRules(rules))
                .build();
    }

    /** The principal {@code 'mspId.role'}. */
    public static MSPPrincipal rolePrincipal(String mspId, MSPRole.MSPRoleType role) {
        return MSPPrincipal.newBuilder()
                .setPrincipalClassification(MSPPrincipal.Classification.ROLE)
                .setPrincipal(MSPRole.newBuilder().setMspIdentifier(mspId).setRole(role).build().toByteString())
                .build();
    }

    /**
     * The envelope in the policy language, for logs and error messages, e.g.
     * {@code OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')}. Parsing the result gives an equivalent
     * policy, though not always the same principal order.
     */
    public static String toString(SignaturePolicyEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (!envelope.hasRule()) {
            return "<empty policy>";
        }
        var out = new StringBuilder();
        render(envelope.getRule(), envelope.getIdentitiesList(), out);
        return out.toString();
    }

    private static void render(SignaturePolicy rule, List<MSPPrincipal> identities, StringBuilder out) {
        switch (rule.getTypeCase()) {
            case SIGNED_BY -> {
                int index = rule.getSignedBy();
                out.append(index >= 0 && index < identities.size()
                        ? describe(identities.get(index))
                        : "<missing principal " + index + ">");
            }
            case N_OUT_OF -> {
                var gate = rule.getNOutOf();
                int n = gate.getN();
                int size = gate.getRulesCount();
                if (n == 1 && size > 1) {
                    out.append("OR(");
                } else if (n == size) {
                    out.append("AND(");
                } else {
                    out.append("OutOf(").append(n).append(size == 0 ? "" : ", ");
                }
                for (int i = 0; i < size; i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    render(gate.getRules(i), identities, out);
                }
                out.append(')');
            }
            case TYPE_NOT_SET -> out.append("<empty rule>");
        }
    }

    /** A principal as the policy language writes it ({@code 'Org1MSP.peer'}) or, for other kinds, a description. */
    static String describe(MSPPrincipal principal) {
        if (principal.getPrincipalClassification() == MSPPrincipal.Classification.ROLE) {
            try {
                var role = MSPRole.parseFrom(principal.getPrincipal());
                return "'" + role.getMspIdentifier() + "." + role.getRole().name().toLowerCase(java.util.Locale.ROOT)
                        + "'";
            } catch (InvalidProtocolBufferException e) {
                return "<malformed role principal>";
            }
        }
        return "<" + principal.getPrincipalClassification() + " principal>";
    }

    // Fabric's three passes. Pass 1 rewrites And/Or into outof(...) text; pass 2 adds the context parameter ID to
    // every outof call; pass 3 builds the policy, numbering principals as it meets them.

    private static SignaturePolicyEnvelope fromString(String dsl) {
        Map<String, GateExpression.Function> firstFunctions = new HashMap<>();
        for (String gate : GATES) {
            GateExpression.Function function = switch (gate.toLowerCase(java.util.Locale.ROOT)) {
                case "and" -> args -> outOfText(prepend(args.size(), args));
                case "or" -> args -> outOfText(prepend(1, args));
                default -> SignaturePolicies::outOfText;
            };
            firstFunctions.put(gate, function);
        }
        Object intermediate = GateExpression.parse(dsl, GATES).evaluate(firstFunctions, Map.of());
        if (!(intermediate instanceof String outOfText)) {
            throw new GateExpression.DslException("invalid policy string '" + dsl + "'");
        }

        Object withContext = GateExpression.parse(outOfText, Set.of("outof"))
                .evaluate(Map.of("outof", SignaturePolicies::addContext), Map.of());
        if (!(withContext instanceof String contextText)) {
            throw new GateExpression.DslException("invalid policy string '" + dsl + "'");
        }

        var context = new Context();
        Object rule = GateExpression.parse(contextText, Set.of("outof"))
                .evaluate(Map.of("outof", SignaturePolicies::buildGate), Map.of("ID", context));
        if (!(rule instanceof SignaturePolicy policy)) {
            throw new GateExpression.DslException("invalid policy string '" + dsl + "'");
        }
        return SignaturePolicyEnvelope.newBuilder()
                .setVersion(0)
                .setRule(policy)
                .addAllIdentities(context.principals)
                .build();
    }

    private static List<Object> prepend(Object first, List<Object> rest) {
        var args = new ArrayList<Object>(rest.size() + 1);
        args.add(first);
        args.addAll(rest);
        return args;
    }

    private static Object outOfText(List<Object> args) {
        if (args.size() < 2) {
            throw new GateExpression.DslException(
                    "expected at least two arguments to NOutOf. Given " + args.size());
        }
        var text = new StringBuilder("outof(");
        Object count = args.get(0);
        if (count instanceof Double number) {
            text.append(goInt(number));
        } else if (count instanceof Integer number) {
            text.append(number);
        } else if (count instanceof String string) {
            text.append(string);
        } else {
            throw new GateExpression.DslException("unexpected type " + GateExpression.goTypeName(count));
        }
        for (Object arg : args.subList(1, args.size())) {
            if (!(arg instanceof String string)) {
                throw new GateExpression.DslException("unexpected type " + GateExpression.goTypeName(arg));
            }
            text.append(", ").append(quoteIfPrincipal(string));
        }
        return text.append(')').toString();
    }

    private static Object addContext(List<Object> args) {
        var text = new StringBuilder("outof(ID");
        for (Object arg : args) {
            text.append(", ");
            if (arg instanceof String string) {
                text.append(quoteIfPrincipal(string));
            } else if (arg instanceof Double number) {
                text.append(goInt(number));
            } else {
                throw new GateExpression.DslException("unexpected type " + GateExpression.goTypeName(arg));
            }
        }
        return text.append(')').toString();
    }

    private static Object buildGate(List<Object> args) {
        if (args.size() < 3) {
            throw new GateExpression.DslException("at least 3 arguments expected, got " + args.size());
        }
        if (!(args.get(0) instanceof Context context)) {
            throw new GateExpression.DslException("unrecognized type, expected the context, got "
                    + GateExpression.goTypeName(args.get(0)));
        }
        if (!(args.get(1) instanceof Double count)) {
            throw new GateExpression.DslException("unrecognized type, expected a number, got "
                    + GateExpression.goTypeName(args.get(1)));
        }
        long t = goInt(count);
        int n = args.size() - 2;
        if (t < 0 || t > n + 1) {
            throw new GateExpression.DslException("invalid t-out-of-n predicate, t " + t + ", n " + n);
        }
        var rules = new ArrayList<SignaturePolicy>(n);
        for (Object arg : args.subList(2, args.size())) {
            if (arg instanceof String principal) {
                var matcher = PRINCIPAL.matcher(principal);
                if (!matcher.matches()) {
                    throw new GateExpression.DslException("error parsing principal " + principal);
                }
                var role = MSPRole.MSPRoleType.valueOf(matcher.group(2).toUpperCase(java.util.Locale.ROOT));
                context.principals.add(rolePrincipal(matcher.group(1), role));
                rules.add(signedBy(context.principals.size() - 1));
            } else if (arg instanceof SignaturePolicy nested) {
                rules.add(nested);
            } else {
                throw new GateExpression.DslException("unrecognized type, expected a principal or a policy, got "
                        + GateExpression.goTypeName(arg));
            }
        }
        return nOutOf((int) t, rules);
    }

    private static String quoteIfPrincipal(String text) {
        return PRINCIPAL.matcher(text).matches() ? "'" + text + "'" : text;
    }

    /** Go's {@code int(float64)}: truncation toward zero. */
    private static long goInt(double number) {
        return (long) number;
    }

    /** The principals pass 3 has met so far. */
    private static final class Context {
        private final List<MSPPrincipal> principals = new ArrayList<>();
    }
}
