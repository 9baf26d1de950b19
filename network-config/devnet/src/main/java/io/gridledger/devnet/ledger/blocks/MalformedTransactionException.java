package io.gridledger.devnet.ledger.blocks;

import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.Objects;

/**
 * An envelope that does not hold a well-formed Fabric transaction. {@link #validationCode()} is the code a Fabric
 * 2.5 peer gives such a transaction ({@code BAD_PAYLOAD}, {@code BAD_COMMON_HEADER}, {@code BAD_HEADER_EXTENSION},
 * {@code INVALID_ENDORSER_TRANSACTION}, {@code BAD_RESPONSE_PAYLOAD}, {@code BAD_RWSET}, {@code UNKNOWN_TX_TYPE}…),
 * so the validator can record it in {@code TRANSACTIONS_FILTER} and the gateway can report it, as is.
 */
public final class MalformedTransactionException extends IllegalArgumentException {

    private final TxValidationCode validationCode;

    public MalformedTransactionException(TxValidationCode validationCode, String message) {
        super(validationCode + ": " + message);
        this.validationCode = Objects.requireNonNull(validationCode, "validationCode");
    }

    public MalformedTransactionException(TxValidationCode validationCode, String message, Throwable cause) {
        super(validationCode + ": " + message, cause);
        this.validationCode = Objects.requireNonNull(validationCode, "validationCode");
    }

    public TxValidationCode validationCode() {
        return validationCode;
    }
}
