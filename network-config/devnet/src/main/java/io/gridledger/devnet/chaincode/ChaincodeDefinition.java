package io.gridledger.devnet.chaincode;

import java.util.Objects;

/**
 * A chaincode as committed on the channel: its name (also its state namespace), version, sequence, endorsement
 * policy (a channel policy reference such as {@code /Channel/Application/Endorsement}, or a signature policy such
 * as {@code OutOf(2,'Org1MSP.peer','Org2MSP.peer','Org3MSP.peer')}) and the chaincode-as-a-service address.
 */
public record ChaincodeDefinition(String name, String version, long sequence, String endorsementPolicy, String address) {

    public ChaincodeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(endorsementPolicy, "endorsementPolicy");
        Objects.requireNonNull(address, "address");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a chaincode needs a name");
        }
    }

    /** The same definition served at another chaincode-as-a-service address ({@code host:port}). */
    public ChaincodeDefinition withAddress(String hostAndPort) {
        return new ChaincodeDefinition(name, version, sequence, endorsementPolicy, hostAndPort);
    }
}
