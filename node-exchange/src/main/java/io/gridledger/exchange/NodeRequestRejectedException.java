package io.gridledger.exchange;

import java.util.Objects;

/**
 * Why a gateway refused to authenticate an exchange request: a {@link Reason} (whose {@link Reason#code()} is the
 * error body's {@code code}), the header it concerns, and a message saying exactly what was wrong. Every reason is an
 * HTTP 401: nothing about the job was looked at yet.
 */
public final class NodeRequestRejectedException extends Exception {

    /** What failed, in the order a verifier checks. */
    public enum Reason {
        /** A protocol header is absent. */
        HEADER_MISSING("NODE_HEADER_MISSING"),
        /** A header is present twice, or its value is not of its form (timestamp digits, base64, nonce length). */
        HEADER_MALFORMED("NODE_HEADER_MALFORMED"),
        /** The request was signed for another org's gateway. */
        WRONG_AUDIENCE("NODE_WRONG_AUDIENCE"),
        /** The timestamp is older than the tolerance allows. */
        TIMESTAMP_STALE("NODE_TIMESTAMP_STALE"),
        /** The timestamp is further ahead than the tolerance allows. */
        TIMESTAMP_FUTURE("NODE_TIMESTAMP_FUTURE"),
        /** The certificate header is not a PEM X.509 certificate with an EC key and a common name. */
        CERTIFICATE_MALFORMED("NODE_CERTIFICATE_MALFORMED"),
        /** The MSP ID is not an org of the channel. */
        MSP_UNKNOWN("NODE_MSP_UNKNOWN"),
        /** The certificate does not chain to that MSP's root or intermediate CAs (or is revoked by its CRLs). */
        CERTIFICATE_UNTRUSTED("NODE_CERTIFICATE_UNTRUSTED"),
        /** The certificate is not valid now (expired, or not yet valid). */
        CERTIFICATE_EXPIRED("NODE_CERTIFICATE_EXPIRED"),
        /** The identity is not a provider node (attribute {@code gridledger.role}, else OU). */
        NOT_A_PROVIDER("NODE_NOT_A_PROVIDER"),
        /** The signature is not low-S DER ECDSA, or does not verify over the canonical request with the certificate. */
        SIGNATURE_INVALID("NODE_SIGNATURE_INVALID"),
        /** This MSP already used this nonce within the window. */
        NONCE_REPLAYED("NODE_NONCE_REPLAYED");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The error code a gateway answers with (stable). */
        public String code() {
            return code;
        }
    }

    private final Reason reason;
    private final String header;

    public NodeRequestRejectedException(Reason reason, String header, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.header = Objects.requireNonNull(header, "header");
    }

    public Reason reason() {
        return reason;
    }

    /** The header the failure concerns (the error body's {@code details[0].field}). */
    public String header() {
        return header;
    }
}
