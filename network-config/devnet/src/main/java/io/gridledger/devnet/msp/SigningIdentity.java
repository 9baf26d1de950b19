package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;

/** An identity devnet acts as (a peer endorsing, the orderer signing blocks): it can sign. */
public interface SigningIdentity {

    String mspId();

    /** The {@code msp.SerializedIdentity} bytes of this identity. */
    ByteString serialized();

    /** An ECDSA-SHA256 signature over {@code message}, DER-encoded, with low S as Fabric requires. */
    byte[] sign(byte[] message);
}
