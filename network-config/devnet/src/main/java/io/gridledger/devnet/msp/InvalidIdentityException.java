package io.gridledger.devnet.msp;

import java.util.Optional;

/** An identity that no channel MSP vouches for; the message says why. */
public final class InvalidIdentityException extends Exception {

    private final String mspId;
    private final boolean unreadable;

    public InvalidIdentityException(String message) {
        this(message, (Throwable) null);
    }

    public InvalidIdentityException(String message, Throwable cause) {
        this(message, cause, null, false);
    }

    private InvalidIdentityException(String message, Throwable cause, String mspId, boolean unreadable) {
        super(message, cause);
        this.mspId = mspId;
        this.unreadable = unreadable;
    }

    /**
     * A certificate the MSP cannot even read as one of its identities: Fabric's {@code DeserializeIdentity} builds the
     * certificate's chain to the MSP's CAs ({@code sanitizeCert} → {@code getUniqueValidationChain}) and fails when
     * there is none, so such a refusal names no org ({@code creator org unknown, creator is malformed}).
     */
    public static InvalidIdentityException unreadable(String message) {
        return new InvalidIdentityException(message, null, null, true);
    }

    /**
     * The same refusal, made by the channel MSP {@code mspId} after it read the identity; an {@link #unreadable}
     * refusal stays one.
     */
    public InvalidIdentityException refusedBy(String mspId) {
        return unreadable ? this : new InvalidIdentityException(getMessage(), this, mspId, false);
    }

    /**
     * The MSP that read the identity and then refused it (wrong CA, expired, no node OU…), as Fabric's
     * {@code Validate} does after {@code DeserializeIdentity}; empty when the identity could not be read at all
     * (malformed, of an MSP the channel does not have, or not chaining to the claimed MSP's CA), which Fabric's
     * {@code DeserializeIdentity} refuses.
     */
    public Optional<String> mspId() {
        return Optional.ofNullable(mspId);
    }
}
