package io.gridledger.chaincode.domain;

/**
 * Stable error codes carried by every rejected transaction.
 *
 * <p>The chaincode puts the code's name in the {@code ChaincodeException} payload; the gateway maps it
 * to an HTTP status and a JSON error body. Never rename a code: clients depend on them.
 */
public enum ErrorCode {
    /** The request is malformed: bad JSON, unknown or missing fields, out-of-range numbers, too large. HTTP 400. */
    INVALID_ARGUMENT,
    /** The caller's identity may not do this (wrong role, wrong org, not the owner). HTTP 403. */
    FORBIDDEN,
    /** The addressed asset does not exist. HTTP 404. */
    NOT_FOUND,
    /** An asset with this id already exists. HTTP 409. */
    ALREADY_EXISTS,
    /** The asset is not in a state that allows this (e.g. revealing before the commit phase closed). HTTP 409. */
    WRONG_STATE,
    /** The paying account holds fewer credits than needed. HTTP 409. */
    INSUFFICIENT_FUNDS,
    /** A reveal does not match its commitment. HTTP 422. */
    COMMITMENT_MISMATCH,
    /** A deadline has passed. HTTP 409. */
    DEADLINE_PASSED,
    /** The consortium parameters have not been initialised yet. HTTP 503. */
    NOT_INITIALIZED,
    /**
     * The proposal's timestamp is further from the endorsing peer's clock than the consortium tolerates: the
     * client's clock is wrong (or the client chose its timestamp). The peer refuses to endorse. HTTP 400.
     */
    CLOCK_SKEW
}
