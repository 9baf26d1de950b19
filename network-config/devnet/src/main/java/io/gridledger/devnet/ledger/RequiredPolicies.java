package io.gridledger.devnet.ledger;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which endorsement policies a transaction must satisfy, by Fabric's key-level validation rule: the key-level policy
 * of every written key that has one, and the chaincode's policy when some written key has none or nothing is
 * written. The validator judges endorsements against it; the gateway plans whose endorsements to collect from it.
 *
 * @param chaincodePolicy whether the chaincode's own endorsement policy applies
 * @param keyPolicies     the {@code VALIDATION_PARAMETER} bytes of the written keys that have one
 */
public record RequiredPolicies(boolean chaincodePolicy, List<ByteString> keyPolicies) {

    public RequiredPolicies {
        keyPolicies = List.copyOf(keyPolicies);
    }

    /**
     * @param writtenKeys         the keys the transaction writes (values or metadata) in the chaincode's namespace
     * @param validationParameter a key's current key-level policy, if it has one
     */
    public static RequiredPolicies of(Collection<String> writtenKeys, Function<String, Optional<ByteString>> validationParameter) {
        var keyPolicies = new ArrayList<ByteString>();
        boolean chaincodePolicy = writtenKeys.isEmpty();
        for (var key : writtenKeys) {
            var parameter = validationParameter.apply(key);
            if (parameter.isPresent()) {
                keyPolicies.add(parameter.get());
            } else {
                chaincodePolicy = true;
            }
        }
        return new RequiredPolicies(chaincodePolicy, keyPolicies);
    }
}
