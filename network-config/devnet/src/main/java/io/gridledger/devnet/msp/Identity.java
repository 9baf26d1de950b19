package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.MSPPrincipal;

import java.security.cert.X509Certificate;

/**
 * An identity that a channel MSP has validated: its certificate chains to one of the org's CAs and it
 * carries exactly one node OU when node OUs are enabled. Instances come from {@link IdentityDeserializer}.
 */
public interface Identity {

    /** The MSP ID of the org that issued the identity, e.g. {@code Org1MSP}. */
    String mspId();

    X509Certificate certificate();

    /** The {@code msp.SerializedIdentity} bytes the identity was read from. */
    ByteString serialized();

    /** The identity's node OU role ({@code CLIENT}, {@code PEER}, {@code ADMIN}, {@code ORDERER}). */
    NodeRole role();

    /**
     * Whether {@code signature} is a valid ECDSA-SHA256 signature over {@code message} by this identity.
     * As in Fabric, signatures whose S is not in the lower half of the curve order are refused.
     */
    boolean verify(byte[] message, byte[] signature);

    /** Whether this identity satisfies {@code principal}, with the semantics of Fabric's MSP {@code SatisfiesPrincipal}. */
    boolean satisfies(MSPPrincipal principal);

    enum NodeRole { CLIENT, PEER, ADMIN, ORDERER }
}
