package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;

/**
 * Checks one signature by a serialized identity; lets {@link Blocks#verifySignatures} stay free of MSP logic.
 * Typically adapts the channel's {@code IdentityDeserializer}:
 *
 * <pre>{@code
 * SignatureCheck check = (creator, message, signature) -> {
 *     try {
 *         Identity id = deserializer.deserialize(creator);
 *         return id.role() == Identity.NodeRole.ORDERER && id.verify(message, signature);
 *     } catch (InvalidIdentityException e) {
 *         return false;
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface SignatureCheck {

    /** Whether {@code signature} over {@code message} was made by {@code creator} (a {@code msp.SerializedIdentity}). */
    boolean verify(ByteString creator, byte[] message, byte[] signature);
}
