package io.gridledger.exchange;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Decides whether a certificate is a provider node identity of an MSP: the verifier's one policy hook. A gateway
 * answers from the channel configuration (the MSP's root and intermediate CAs, its CRLs) and the role rule; a test
 * from its own CA.
 */
@FunctionalInterface
public interface CertificateTrust {

    /**
     * Returns normally if {@code certificate} chains to {@code mspId}'s CAs, is valid at {@code at} and names a
     * provider; throws with {@link NodeRequestRejectedException.Reason#MSP_UNKNOWN},
     * {@link NodeRequestRejectedException.Reason#CERTIFICATE_UNTRUSTED},
     * {@link NodeRequestRejectedException.Reason#CERTIFICATE_EXPIRED} or
     * {@link NodeRequestRejectedException.Reason#NOT_A_PROVIDER} otherwise.
     */
    void check(String mspId, X509Certificate certificate, Instant at) throws NodeRequestRejectedException;
}
