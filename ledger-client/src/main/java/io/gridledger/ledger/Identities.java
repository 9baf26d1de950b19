package io.gridledger.ledger;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Set;

/**
 * This org's Fabric identities, by name ({@code Admin}, {@code User1}, {@code node1}): the gateway acts as them.
 * The files adapter reads the cryptogen/Fabric CA layout {@code users/<name>@<domain>/msp/{signcerts,keystore}}.
 */
public interface Identities {

    /** The org's MSP ID. */
    String mspId();

    /** The identity called {@code name}; {@link IllegalArgumentException} if there is none. */
    SigningIdentity identity(String name);

    Set<String> names();

    /**
     * An X.509 identity of an org and its private key.
     *
     * @param name        the name it is known by here
     * @param commonName  the certificate's CN: with the MSP ID, the identity's account {@code <MSP ID>/<CN>}
     */
    record SigningIdentity(String name, String mspId, String commonName, X509Certificate certificate, PrivateKey privateKey) {

        public SigningIdentity {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mspId, "mspId");
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        public String accountId() {
            return mspId + "/" + commonName;
        }

        @Override
        public String toString() {
            return "SigningIdentity[" + accountId() + "]";
        }
    }
}
