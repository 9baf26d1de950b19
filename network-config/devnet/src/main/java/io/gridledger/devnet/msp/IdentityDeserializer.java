package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;

/** Turns {@code msp.SerializedIdentity} bytes into a validated {@link Identity} of a channel org. */
public interface IdentityDeserializer {

    /**
     * @throws InvalidIdentityException when the bytes are malformed, the MSP ID is not a channel org, the
     *         certificate was not issued by that org's CA, or its node OU is missing or ambiguous
     */
    Identity deserialize(ByteString serializedIdentity) throws InvalidIdentityException;
}
