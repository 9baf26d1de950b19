package io.gridledger.devnet.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The small expression language Fabric's policy DSL is evaluated in (a subset of govaluate): function calls,
 * string literals in single or double quotes with backslash escapes, numbers (always doubles), {@code true} and
 * {@code false}, unary minus, parentheses and bare names that are looked up as parameters.
 *
 * <p>Fabric's {@code policydsl.FromString} runs its text through three evaluations, each pass printing text that
 * the next pass parses again. {@link SignaturePolicies} does the same with this class so that odd inputs (a count
 * given as a string, a principal that is not one) are accepted or refused as Fabric accepts or refuses them.
 */
final class GateExpression {

    /** A function the expression may call; throws {@link DslException} to refuse its arguments. */
    @FunctionalInterface
    interface Function {
        Object apply(List<Object> args);
    }

    /** A refusal with Fabric's reason; {@link SignaturePolicies} adds the policy text. */
    static final class DslException extends RuntimeException {
        DslException(String message) {
            super(message);
        }
    }

    private sealed interface Node permits Call, Literal, Parameter, Negation {}

    private record Call(String name, List<Node> args) implements Node {}

    private record Literal(Object value) implements Node {}

    private record Parameter(String name) implements Node {}

    private record Negation(Node operand) implements Node {}

    private final Node root;

    private GateExpression(Node root) {
        this.root = root;
    }

    /** Parses {@code text}; names followed by {@code (} must be among {@code functionNames}. */
    static GateExpression parse(String text, java.util.Set<String> functionNames) {
        var parser = new Parser(text, functionNames);
        return new GateExpression(parser.parseAll());
    }

    Object evaluate(Map<String, Function> functions, Map<String, Object> parameters) {
        return evaluate(root, functions, parameters);
    }

    private static Object evaluate(Node node, Map<String, Function> functions, Map<String, Object> parameters) {
        if (node instanceof Literal literal) {
            return literal.value();
        }
        if (node instanceof Parameter parameter) {
            if (!parameters.containsKey(parameter.name())) {
                throw new DslException("unrecognized token '" + parameter.name() + "' in policy string");
            }
            return parameters.get(parameter.name());
        }
        if (node instanceof Negation negation) {
            Object value = evaluate(negation.operand(), functions, parameters);
            if (!(value instanceof Double number)) {
                throw new DslException("cannot negate " + goTypeName(value));
            }
            return -number;
        }
        var call = (Call) node;
        // Arguments are evaluated left to right before the call, as govaluate does: this order decides the order
        // of the principals in the envelope.
        var args = new ArrayList<Object>(call.args().size());
        for (Node arg : call.args()) {
            args.add(evaluate(arg, functions, parameters));
        }
        return functions.get(call.name()).apply(args);
    }

    /** The Go type name Fabric's messages use for a value of this evaluation. */
    static String goTypeName(Object value) {
        if (value instanceof Double) {
            return "float64";
        }
        if (value instanceof Integer) {
            return "int";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof org.hyperledger.fabric.protos.common.SignaturePolicy) {
            return "*common.SignaturePolicy";
        }
        return value == null ? "<nil>" : "*policydsl.context";
    }

    private static final class Parser {
        private final String text;
        private final java.util.Set<String> functionNames;
        private int pos;

        Parser(String text, java.util.Set<String> functionNames) {
            this.text = text;
            this.functionNames = functionNames;
        }

        Node parseAll() {
            skipSpace();
            if (atEnd()) {
                throw new DslException("Unexpected end of expression");
            }
            Node node = parseExpression();
            skipSpace();
            if (!atEnd()) {
                throw new DslException("unexpected '" + text.charAt(pos) + "' at position " + pos);
            }
            return node;
        }

        private Node parseExpression() {
            skipSpace();
            if (atEnd()) {
                throw new DslException("Unexpected end of expression");
            }
            char c = text.charAt(pos);
            if (c == '-') {
                pos++;
                return new Negation(parseExpression());
            }
            if (c == '(') {
                pos++;
                Node inner = parseExpression();
                expect(')');
                return inner;
            }
            if (c == '\'' || c == '"') {
                return new Literal(readString(c));
            }
            if (Character.isDigit(c) || c == '.') {
                return new Literal(readNumber());
            }
            if (Character.isLetter(c) || c == '_') {
                String name = readName();
                skipSpace();
                boolean call = !atEnd() && text.charAt(pos) == '(';
                if (!call) {
                    return switch (name) {
                        case "true" -> new Literal(Boolean.TRUE);
                        case "false" -> new Literal(Boolean.FALSE);
                        default -> new Parameter(name);
                    };
                }
                if (!functionNames.contains(name)) {
                    throw new DslException("unknown gate '" + name + "': gates are And, Or and OutOf, written so, in"
                            + " lower case or in upper case");
                }
                pos++;
                var args = new ArrayList<Node>();
                skipSpace();
                if (!atEnd() && text.charAt(pos) == ')') {
                    pos++;
                    return new Call(name, args);
                }
                while (true) {
                    args.add(parseExpression());
                    skipSpace();
                    if (atEnd()) {
                        throw new DslException("missing ')' after the arguments of " + name);
                    }
                    char next = text.charAt(pos++);
                    if (next == ')') {
                        return new Call(name, args);
                    }
                    if (next != ',') {
                        throw new DslException("unexpected '" + next + "' at position " + (pos - 1)
                                + " in the arguments of " + name);
                    }
                }
            }
            throw new DslException("unexpected '" + c + "' at position " + pos);
        }

        private String readString(char quote) {
            int start = pos++;
            var value = new StringBuilder();
            while (!atEnd()) {
                char c = text.charAt(pos++);
                if (c == '\\' && !atEnd()) {
                    value.append(text.charAt(pos++));
                } else if (c == quote) {
                    return value.toString();
                } else {
                    value.append(c);
                }
            }
            throw new DslException("unclosed string starting at position " + start);
        }

        private Double readNumber() {
            int start = pos;
            while (!atEnd() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            String number = text.substring(start, pos);
            try {
                return Double.valueOf(number);
            } catch (NumberFormatException e) {
                throw new DslException("invalid number '" + number + "'");
            }
        }

        private String readName() {
            int start = pos;
            while (!atEnd()) {
                char c = text.charAt(pos);
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
                    break;
                }
                pos++;
            }
            return text.substring(start, pos);
        }

        private void expect(char c) {
            skipSpace();
            if (atEnd() || text.charAt(pos) != c) {
                throw new DslException("expected '" + c + "' at position " + pos);
            }
            pos++;
        }

        private void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean atEnd() {
            return pos >= text.length();
        }
    }
}
