package io.gridledger.devnet.chaincode;

import java.util.Objects;

/**
 * A chaincode as committed on the channel: its name (also its state namespace), version, sequence, endorsement
 * policy (a channel policy reference such as {@code /Channel/Application/Endorsement}, or a signature policy such
 * as {@code OutOf(2,'Org1MSP.peer','Org2MSP.peer','Org3MSP.peer')}), and where each org's peer reaches its
 * chaincode-as-a-service server (in Fabric, the {@code connection.json} of the package each org installs).
 */
public record ChaincodeDefinition(String name, String version, long sequence, String endorsementPolicy,
                                  ChaincodeAddresses addresses) {

    public ChaincodeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(endorsementPolicy, "endorsementPolicy");
        Objects.requireNonNull(addresses, "addresses");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a chaincode needs a name");
        }
    }

    /** A definition whose one server ({@code host:port}) every org's peer dials. */
    public ChaincodeDefinition(String name, String version, long sequence, String endorsementPolicy, String address) {
        this(name, version, sequence, endorsementPolicy, ChaincodeAddresses.everyOrg(address));
    }

    /** The same definition served at other chaincode-as-a-service addresses. */
    public ChaincodeDefinition withAddresses(ChaincodeAddresses servers) {
        return new ChaincodeDefinition(name, version, sequence, endorsementPolicy, servers);
    }

    /**
     * The server the org's peer dials.
     *
     * @throws IllegalArgumentException if the definition names none for the org
     */
    public String addressFor(String mspId) {
        return addresses.forOrg(mspId).orElseThrow(() -> new IllegalArgumentException("chaincode " + name
                + " has no chaincode server address for " + mspId + " (it names " + addresses + ")"));
    }
}
