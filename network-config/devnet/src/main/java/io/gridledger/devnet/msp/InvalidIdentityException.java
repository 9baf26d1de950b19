package io.gridledger.devnet.msp;

/** An identity that no channel MSP vouches for; the message says why. */
public final class InvalidIdentityException extends Exception {

    public InvalidIdentityException(String message) {
        super(message);
    }

    public InvalidIdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
