package io.gridledger.devnet.policy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.msp.Identity;
import org.hyperledger.fabric.protos.common.MSPPrincipal;
import org.hyperledger.fabric.protos.common.MSPRole;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/**
 * A test identity with a node OU role and no certificate. It satisfies principals as a Fabric MSP with node OUs
 * enabled does: {@code ROLE} principals of its own MSP ID when the role is MEMBER or is its own role (an admin is not
 * a client, a peer is not an admin), {@code IDENTITY} principals that are its own serialized identity; nothing else.
 */
record TestIdentity(String mspId, NodeRole role, ByteString serialized) implements Identity {

    static TestIdentity peer(String mspId) {
        return of(mspId, NodeRole.PEER, "peer0." + mspId);
    }

    static TestIdentity client(String mspId, String name) {
        return of(mspId, NodeRole.CLIENT, name);
    }

    static TestIdentity admin(String mspId) {
        return of(mspId, NodeRole.ADMIN, "admin." + mspId);
    }

    static TestIdentity of(String mspId, NodeRole role, String name) {
        var serialized = SerializedIdentity.newBuilder()
                .setMspid(mspId)
                .setIdBytes(ByteString.copyFrom("-----BEGIN CERTIFICATE-----\n" + name + "\n-----END CERTIFICATE-----\n",
                        StandardCharsets.UTF_8))
                .build()
                .toByteString();
        return new TestIdentity(mspId, role, serialized);
    }

    @Override
    public X509Certificate certificate() {
        return null;
    }

    @Override
    public boolean verify(byte[] message, byte[] signature) {
        return true;
    }

    @Override
    public boolean satisfies(MSPPrincipal principal) {
        return switch (principal.getPrincipalClassification()) {
            case ROLE -> {
                MSPRole required;
                try {
                    required = MSPRole.parseFrom(principal.getPrincipal());
                } catch (InvalidProtocolBufferException e) {
                    yield false;
                }
                if (!required.getMspIdentifier().equals(mspId)) {
                    yield false;
                }
                yield switch (required.getRole()) {
                    case MEMBER -> true;
                    case ADMIN -> role == NodeRole.ADMIN;
                    case CLIENT -> role == NodeRole.CLIENT;
                    case PEER -> role == NodeRole.PEER;
                    case ORDERER -> role == NodeRole.ORDERER;
                    default -> false;
                };
            }
            case IDENTITY -> principal.getPrincipal().equals(serialized);
            default -> false;
        };
    }

    @Override
    public String toString() {
        return role + "@" + mspId;
    }
}
