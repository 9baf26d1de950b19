package io.gridledger.devnet.msp;

import java.util.Optional;

/** An identity that no channel MSP vouches for; the message says why. */
public final class InvalidIdentityException extends Exception {

    private final String mspId;

    public InvalidIdentityException(String message) {
        this(message, (Throwable) null);
    }

    public InvalidIdentityException(String message, Throwable cause) {
        super(message, cause);
        this.mspId = null;
    }

    private InvalidIdentityException(InvalidIdentityException refusal, String mspId) {
        super(refusal.getMessage(), refusal);
        this.mspId = mspId;
    }

    /** The same refusal, made by the channel MSP {@code mspId} after it read the identity. */
    public InvalidIdentityException refusedBy(String mspId) {
        return new InvalidIdentityException(this, mspId);
    }

    /**
     * The MSP that read the identity and then refused it (wrong CA, expired, no node OU…), as Fabric's
     * {@code Validate} does after {@code DeserializeIdentity}; empty when the identity could not be read at all
     * (malformed, or of an MSP the channel does not have), which Fabric's {@code DeserializeIdentity} refuses.
     */
    public Optional<String> mspId() {
        return Optional.ofNullable(mspId);
    }
}
