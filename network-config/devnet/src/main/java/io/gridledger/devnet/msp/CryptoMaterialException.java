package io.gridledger.devnet.msp;

/**
 * Crypto material that cannot be read, parsed or written: a missing or malformed config, certificate, key or MSP
 * folder. The message names the file; devnet cannot start without its identities, so this is unchecked.
 */
public final class CryptoMaterialException extends RuntimeException {

    public CryptoMaterialException(String message) {
        super(message);
    }

    public CryptoMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
