package io.gridledger.gateway.exchange;

import io.gridledger.exchange.CertificateTrust;
import io.gridledger.exchange.NodeRequestRejectedException;
import io.gridledger.exchange.NodeRequestRejectedException.Reason;
import io.gridledger.ledger.ChannelMsp;
import io.gridledger.ledger.Ledger;
import io.micronaut.json.JsonMapper;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Trusts a provider node's certificate the way Fabric's MSP would: it must chain to its MSP's root (through its
 * intermediate) CAs <em>as the channel configuration holds them</em> (read from the ledger with cscc, never from the
 * node), not be revoked by the MSP's CRLs, be valid now, and name a provider — the Fabric CA attribute
 * {@code gridledger.role=provider} if the certificate has that attribute, else an OU {@code provider} and no OU
 * {@code admin} (the chaincode's {@code Caller} rule). The MSPs are read again after {@code ttl}, and at once when an
 * unknown MSP shows up (an org just added to the channel).
 */
final class ChannelTrust implements CertificateTrust {

    /** Fabric CA's attribute extension: DER OCTET STRING holding {@code {"attrs":{...}}}. */
    static final String FABRIC_ATTRIBUTES_OID = "1.2.3.4.5.6.7.8.1";
    private static final Duration MIN_REFRESH = Duration.ofSeconds(5);

    private final Ledger ledger;
    private final String identity;
    private final Duration ttl;
    private final Clock clock;
    private final JsonMapper json;
    private volatile Snapshot snapshot;

    ChannelTrust(Ledger ledger, String identity, Duration ttl, Clock clock, JsonMapper json) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.json = Objects.requireNonNull(json, "json");
    }

    private record Snapshot(Map<String, Msp> msps, Instant readAt) {
    }

    private record Msp(String mspId, java.util.Set<TrustAnchor> anchors, CertStore certStore, List<X509CRL> crls) {
    }

    @Override
    public void check(String mspId, X509Certificate certificate, Instant at) throws NodeRequestRejectedException {
        var msp = msp(mspId);
        var header = io.gridledger.exchange.NodeExchange.HEADER_CERTIFICATE;
        try {
            var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(certificate));
            var parameters = new PKIXParameters(msp.anchors());
            parameters.setRevocationEnabled(false);
            parameters.addCertStore(msp.certStore());
            // The chain is checked at a moment the certificate was valid: expiry is its own, later answer.
            parameters.setDate(new Date(certificate.getNotBefore().getTime() + 1000));
            CertPathValidator.getInstance("PKIX").validate(path, parameters);
        } catch (GeneralSecurityException e) {
            throw new NodeRequestRejectedException(Reason.CERTIFICATE_UNTRUSTED, header, "the certificate does not chain "
                    + "to a CA of " + mspId + " in the channel configuration");
        }
        for (var crl : msp.crls()) {
            if (crl.isRevoked(certificate)) {
                throw new NodeRequestRejectedException(Reason.CERTIFICATE_UNTRUSTED, header,
                        "the certificate is revoked by a CRL of " + mspId + " in the channel configuration");
            }
        }
        try {
            certificate.checkValidity(Date.from(at));
        } catch (java.security.cert.CertificateException e) {
            throw new NodeRequestRejectedException(Reason.CERTIFICATE_EXPIRED, header, "the certificate is valid from "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant() + ", not at " + at);
        }
        if (!isProvider(certificate)) {
            throw new NodeRequestRejectedException(Reason.NOT_A_PROVIDER, header, "the identity is not a provider node "
                    + "(Fabric CA attribute gridledger.role=provider, or an OU provider)");
        }
    }

    private Msp msp(String mspId) throws NodeRequestRejectedException {
        var current = snapshot;
        var now = clock.instant();
        boolean stale = current == null || now.isAfter(current.readAt().plus(ttl));
        boolean unknownButMayBeNew = current != null && !current.msps().containsKey(mspId)
                && now.isAfter(current.readAt().plus(MIN_REFRESH));
        if (stale || unknownButMayBeNew) {
            current = refresh(now);
        }
        var msp = current.msps().get(mspId);
        if (msp == null) {
            throw new NodeRequestRejectedException(Reason.MSP_UNKNOWN, io.gridledger.exchange.NodeExchange.HEADER_MSP,
                    mspId + " is not an org of the channel");
        }
        return msp;
    }

    private synchronized Snapshot refresh(Instant now) {
        var current = snapshot;
        if (current != null && !now.isAfter(current.readAt().plus(MIN_REFRESH))) {
            return current;
        }
        var msps = new java.util.HashMap<String, Msp>();
        for (var entry : ledger.channelMsps(identity).entrySet()) {
            msps.put(entry.getKey(), load(entry.getValue()));
        }
        var fresh = new Snapshot(Map.copyOf(msps), now);
        snapshot = fresh;
        return fresh;
    }

    private static Msp load(ChannelMsp msp) {
        try {
            var factory = CertificateFactory.getInstance("X.509");
            var anchors = new HashSet<TrustAnchor>();
            for (var der : msp.rootCerts()) {
                for (var cert : factory.generateCertificates(new ByteArrayInputStream(der))) {
                    anchors.add(new TrustAnchor((X509Certificate) cert, null));
                }
            }
            Collection<Object> intermediates = new ArrayList<>();
            for (var der : msp.intermediateCerts()) {
                intermediates.addAll(factory.generateCertificates(new ByteArrayInputStream(der)));
            }
            var crls = new ArrayList<X509CRL>();
            for (var der : msp.crls()) {
                for (var crl : factory.generateCRLs(new ByteArrayInputStream(der))) {
                    crls.add((X509CRL) crl);
                }
            }
            return new Msp(msp.mspId(), anchors, CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(intermediates)), crls);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the channel configuration's MSP " + msp.mspId() + " has unreadable CAs", e);
        }
    }

    boolean isProvider(X509Certificate certificate) {
        var role = attribute(certificate, "gridledger.role");
        if (role != null) {
            return role.toLowerCase(Locale.ROOT).equals("provider");
        }
        var ous = new ArrayList<String>();
        try {
            for (var rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU")) {
                    ous.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
                }
            }
        } catch (InvalidNameException e) {
            return false;
        }
        return ous.contains("provider") && !ous.contains("admin");
    }

    @SuppressWarnings("unchecked")
    private String attribute(X509Certificate certificate, String name) {
        byte[] extension = certificate.getExtensionValue(FABRIC_ATTRIBUTES_OID);
        if (extension == null) {
            return null;
        }
        try {
            // getExtensionValue wraps the extension's OCTET STRING in another one; Fabric CA's value is raw JSON.
            byte[] value = unwrapOctetString(extension);
            if (value.length > 0 && value[0] == 0x04) {
                value = unwrapOctetString(value);
            }
            var document = json.readValue(value, Map.class);
            var attrs = document == null ? null : document.get("attrs");
            return attrs instanceof Map<?, ?> map && map.get(name) != null ? String.valueOf(map.get(name)) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] unwrapOctetString(byte[] der) {
        if (der.length < 2 || der[0] != 0x04) {
            return der;
        }
        int length = der[1] & 0xff;
        int offset = 2;
        if (length > 0x7f) {
            int octets = length & 0x7f;
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            offset = 2 + octets;
        }
        return java.util.Arrays.copyOfRange(der, offset, Math.min(der.length, offset + length));
    }
}
