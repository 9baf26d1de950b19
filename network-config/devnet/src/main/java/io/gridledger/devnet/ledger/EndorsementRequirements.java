package io.gridledger.devnet.ledger;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.msp.Identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The endorsement policies a transaction must satisfy: its chaincode's policy, and the key-level (state-based)
 * policy of every key it writes that has one. Used alike by the validator, which judges endorsements, and by the
 * gateway, which plans whose endorsements to collect.
 */
public interface EndorsementRequirements {

    /** Whether {@code endorsers} satisfy the endorsement policy of {@code chaincode}'s definition. */
    boolean satisfiesChaincodePolicy(String chaincode, List<Identity> endorsers);

    /** Whether {@code endorsers} satisfy a key-level policy stored under a key's {@code VALIDATION_PARAMETER}. */
    boolean satisfiesKeyPolicy(ByteString validationParameter, List<Identity> endorsers);

    /**
     * A smallest set of orgs whose peers' endorsements satisfy every {@code required} policy, including
     * {@code localOrg} when any such set can (one of them at random when several can, as Fabric's gateway shuffles
     * its layouts); empty when no set of the available peers can.
     *
     * @param peers one endorsing peer identity per org, by MSP ID
     */
    Optional<List<String>> plan(String chaincode, RequiredPolicies required, Map<String, Identity> peers, String localOrg);
}
