package io.gridledger.ledger;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The contract's refusal codes (chaincode {@code ErrorCode}): the chaincode puts the code first in its message
 * ({@code NOT_FOUND: job 'j1' does not exist}), which is all the Fabric Gateway passes on. Never renamed.
 */
public enum ContractErrorCode {
    /** Malformed request. HTTP 400. */
    INVALID_ARGUMENT,
    /** The identity may not do this. HTTP 403. */
    FORBIDDEN,
    /** No such asset. HTTP 404. */
    NOT_FOUND,
    /** The id is taken. HTTP 409. */
    ALREADY_EXISTS,
    /** Not in a state that allows this (often: someone already did it). HTTP 409. */
    WRONG_STATE,
    /** Not enough credits. HTTP 409. */
    INSUFFICIENT_FUNDS,
    /** A reveal does not open its commitment. HTTP 422. */
    COMMITMENT_MISMATCH,
    /** A deadline passed. HTTP 409. */
    DEADLINE_PASSED,
    /** The consortium has no parameters yet. HTTP 503. */
    NOT_INITIALIZED,
    /** The proposal's timestamp is too far from the endorsing peer's clock. HTTP 400. */
    CLOCK_SKEW;

    /**
     * A refusal in a peer's message: the code at the start of the chaincode's message, which the peer prefixes with
     * {@code chaincode response 500, } (so a gRPC status name at the start of the whole message is not taken for it).
     */
    private static final Pattern REFUSAL = Pattern.compile(
            "(?:^|chaincode response \\d+, |: )(INVALID_ARGUMENT|FORBIDDEN|NOT_FOUND|ALREADY_EXISTS|WRONG_STATE|"
                    + "INSUFFICIENT_FUNDS|COMMITMENT_MISMATCH|DEADLINE_PASSED|NOT_INITIALIZED|CLOCK_SKEW): (.*)",
            Pattern.DOTALL);
    private static final Pattern CHAINCODE_RESPONSE = Pattern.compile("chaincode response \\d+, (.*)", Pattern.DOTALL);

    /** The code and message of a chaincode refusal in {@code peerMessage}, if it is one. */
    public static Optional<Refusal> parse(String peerMessage) {
        if (peerMessage == null) {
            return Optional.empty();
        }
        var response = CHAINCODE_RESPONSE.matcher(peerMessage);
        var text = response.find() ? response.group(1) : peerMessage;
        var matcher = REFUSAL.matcher(text);
        if (matcher.find()) {
            return Optional.of(new Refusal(valueOf(matcher.group(1)), matcher.group(2).strip()));
        }
        return Optional.empty();
    }

    /** A refusal's code and the chaincode's message after it. */
    public record Refusal(ContractErrorCode code, String message) {
    }
}
