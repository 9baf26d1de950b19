package io.gridledger.chaincode.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real X.509 identities for chaincode tests: one self-signed certificate authority per organisation (EC P-256,
 * SHA256withECDSA, built with BouncyCastle) that issues client, admin, peer and provider certificates the way
 * Fabric CA does.
 *
 * <p>Why real certificates: the contract reads its caller through the shim's {@code ClientIdentity}, which
 * parses the creator's PEM certificate and the Fabric CA attribute extension. Faking that would test nothing.
 *
 * <ul>
 *   <li>Subjects read {@code CN=<name>, OU=<client|admin|peer>, O=<org>} where {@code <org>} is the MSP id
 *       without its {@code MSP} suffix ({@code Org1MSP} → {@code Org1}); the CA is {@code CN=ca.org1, O=Org1}.</li>
 *   <li>Every certificate carries the Fabric CA attribute extension (OID {@code 1.2.3.4.5.6.7.8.1}, raw JSON
 *       {@code {"attrs":{...}}}) with the three attributes Fabric CA adds by default ({@code hf.EnrollmentID},
 *       {@code hf.Type}, {@code hf.Affiliation}) plus any requested ones, e.g. {@code gridledger.role}.</li>
 *   <li>Asking twice for the same identity returns the same certificate and key.</li>
 * </ul>
 *
 * <pre>{@code
 * var ids = TestIdentities.create("Org1MSP", "Org2MSP");
 * Identity buyer = ids.client("Org1MSP", "alice");
 * Identity gpuNode = ids.provider("Org2MSP", "node-7");   // OU=client + gridledger.role=provider
 * }</pre>
 */
public final class TestIdentities {

    /** The extension OID Fabric CA stores attributes under. */
    public static final String ATTRIBUTE_EXTENSION_OID = "1.2.3.4.5.6.7.8.1";

    /** The attribute GridLedger reads a participant's role from. */
    public static final String ROLE_ATTRIBUTE = "gridledger.role";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    // Fixed validity so certificates never expire under a ledger clock set anywhere in this century.
    private static final Date NOT_BEFORE = Date.from(Instant.parse("2020-01-01T00:00:00Z"));
    private static final Date NOT_AFTER = Date.from(Instant.parse("2099-12-31T23:59:59Z"));

    private final Map<String, OrgCa> cas;
    private final Map<IdentityRequest, Identity> issued = new ConcurrentHashMap<>();

    private TestIdentities(Map<String, OrgCa> cas) {
        this.cas = cas;
    }

    /**
     * Creates one certificate authority per MSP id.
     *
     * @param mspIds the organisations' MSP ids, e.g. {@code "Org1MSP", "Org2MSP"}
     */
    public static TestIdentities create(String... mspIds) {
        Objects.requireNonNull(mspIds, "mspIds");
        if (mspIds.length == 0) {
            throw new IllegalArgumentException("at least one MSP id is required");
        }
        var cas = new LinkedHashMap<String, OrgCa>();
        for (var mspId : mspIds) {
            Objects.requireNonNull(mspId, "mspId");
            if (cas.containsKey(mspId)) {
                throw new IllegalArgumentException("duplicate MSP id " + mspId);
            }
            cas.put(mspId, OrgCa.create(mspId));
        }
        return new TestIdentities(Collections.unmodifiableMap(cas));
    }

    /** The MSP ids this instance has a CA for, in creation order. */
    public Set<String> mspIds() {
        return cas.keySet();
    }

    /** The self-signed CA certificate of an organisation (what its MSP's {@code cacerts} would hold). */
    public X509Certificate caCertificate(String mspId) {
        return ca(mspId).certificate();
    }

    /** The organisation name used in subjects: the MSP id without a trailing {@code MSP}. */
    public static String organization(String mspId) {
        Objects.requireNonNull(mspId, "mspId");
        return mspId.endsWith("MSP") && mspId.length() > 3 ? mspId.substring(0, mspId.length() - 3) : mspId;
    }

    /** A client of the org: {@code OU=client}, no GridLedger role attribute. */
    public Identity client(String mspId, String name) {
        return withAttributes(mspId, name, "client", Map.of());
    }

    /** An org admin: {@code OU=admin}. */
    public Identity admin(String mspId, String name) {
        return withAttributes(mspId, name, "admin", Map.of());
    }

    /** A peer node of the org: {@code OU=peer}. */
    public Identity peer(String mspId, String name) {
        return withAttributes(mspId, name, "peer", Map.of());
    }

    /** A compute provider: {@code OU=client} plus the Fabric CA attribute {@code gridledger.role=provider}. */
    public Identity provider(String mspId, String name) {
        return withAttributes(mspId, name, "client", Map.of(ROLE_ATTRIBUTE, "provider"));
    }

    /**
     * An identity as Fabric CA 1.5 enrolls it, subject included: {@code C=US, ST=North Carolina, O=Hyperledger,
     * OU=<type>+OU=<affiliation>, CN=<name>}. Fabric CA sets the OUs from the identity's type and affiliation, and Go's
     * {@code pkix.Name} writes them as <b>one multi-valued RDN</b>, not one RDN per OU. The attribute extension carries
     * only Fabric CA's defaults ({@code hf.*}) plus {@code attributes}: with none, only the OUs can give a role.
     *
     * <pre>{@code
     * // "fabric-ca-client register --id.type client --id.affiliation provider", no gridledger.role attribute:
     * Identity node = ids.fabricCaEnrolled("Org1MSP", "node1@org1.gridledger.example", "client", "provider", Map.of());
     * }</pre>
     */
    public Identity fabricCaEnrolled(String mspId, String name, String type, String affiliation,
                                     Map<String, String> attributes) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(affiliation, "affiliation");
        Objects.requireNonNull(attributes, "attributes");
        var ous = affiliation.isEmpty() ? List.of(type) : List.of(type, affiliation);
        var request = new IdentityRequest(mspId, Objects.requireNonNull(name, "name"), ous, true,
                new TreeMap<>(attributes));
        var ca = ca(mspId);
        return issued.computeIfAbsent(request, ca::issue);
    }

    /**
     * The general form: an identity with the given node OU and Fabric CA attributes. Requested attributes
     * override the defaults ({@code hf.EnrollmentID}, {@code hf.Type}, {@code hf.Affiliation}).
     */
    public Identity withAttributes(String mspId, String name, String ou, Map<String, String> attributes) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ou, "ou");
        Objects.requireNonNull(attributes, "attributes");
        var ca = ca(mspId);
        var request = new IdentityRequest(mspId, name, List.of(ou), false, new TreeMap<>(attributes));
        return issued.computeIfAbsent(request, ca::issue);
    }

    private OrgCa ca(String mspId) {
        Objects.requireNonNull(mspId, "mspId");
        var ca = cas.get(mspId);
        if (ca == null) {
            throw new IllegalArgumentException("no CA for MSP " + mspId + "; known: " + cas.keySet());
        }
        return ca;
    }

    /** {@code fabricCaSubject}: Fabric CA's subject (C, ST, O=Hyperledger, all OUs in one RDN, CN), else O, OU, CN. */
    private record IdentityRequest(String mspId, String name, List<String> ous, boolean fabricCaSubject,
                                   SortedMap<String, String> attributes) {
    }

    /** One organisation's certificate authority. */
    private record OrgCa(String mspId, X500Name subject, KeyPair keys, X509Certificate certificate) {

        static OrgCa create(String mspId) {
            var org = organization(mspId);
            var subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.O, org)
                    .addRDN(BCStyle.CN, "ca." + org.toLowerCase(Locale.ROOT))
                    .build();
            var keys = newKeyPair();
            try {
                var extensions = new JcaX509ExtensionUtils();
                var builder = new JcaX509v3CertificateBuilder(
                        subject, serialNumber(), NOT_BEFORE, NOT_AFTER, subject, keys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(
                                KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                extensions.createSubjectKeyIdentifier(keys.getPublic()));
                return new OrgCa(mspId, subject, keys, sign(builder, keys));
            } catch (GeneralSecurityException | CertIOException e) {
                throw new IllegalStateException("cannot create the CA of " + mspId, e);
            }
        }

        Identity issue(IdentityRequest request) {
            var name = request.name();
            var ous = request.ous();
            X500Name subject;
            if (request.fabricCaSubject()) {
                // What Go's pkix.Name.ToRDNSequence writes for Fabric CA: C, ST, O, then every OU in ONE set, then CN.
                var types = new ASN1ObjectIdentifier[ous.size()];
                Arrays.fill(types, BCStyle.OU);
                subject = new X500NameBuilder(BCStyle.INSTANCE)
                        .addRDN(BCStyle.C, "US")
                        .addRDN(BCStyle.ST, "North Carolina")
                        .addRDN(BCStyle.O, "Hyperledger")
                        .addMultiValuedRDN(types, ous.toArray(String[]::new))
                        .addRDN(BCStyle.CN, name)
                        .build();
            } else {
                // DER order O, OU, CN: the JDK prints it most-specific first, "CN=name, OU=ou, O=org".
                subject = new X500NameBuilder(BCStyle.INSTANCE)
                        .addRDN(BCStyle.O, organization(mspId))
                        .addRDN(BCStyle.OU, ous.get(0))
                        .addRDN(BCStyle.CN, name)
                        .build();
            }
            var attributes = new TreeMap<String, String>();
            attributes.put("hf.Affiliation", String.join(".", ous.subList(1, ous.size())));
            attributes.put("hf.EnrollmentID", name);
            attributes.put("hf.Type", ous.get(0));
            attributes.putAll(request.attributes());
            var keys = newKeyPair();
            try {
                var extensions = new JcaX509ExtensionUtils();
                X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        this.subject, serialNumber(), NOT_BEFORE, NOT_AFTER, subject, keys.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                extensions.createSubjectKeyIdentifier(keys.getPublic()))
                        .addExtension(Extension.authorityKeyIdentifier, false,
                                extensions.createAuthorityKeyIdentifier(certificate))
                        // Fabric CA stores the raw JSON bytes as the extension value (not a nested DER string);
                        // ClientIdentity unwraps exactly one OCTET STRING and parses the rest as JSON.
                        .addExtension(new ASN1ObjectIdentifier(ATTRIBUTE_EXTENSION_OID), false,
                                attributeJson(attributes));
                return new Identity(mspId, name, sign(builder, this.keys), keys.getPrivate());
            } catch (GeneralSecurityException | CertIOException e) {
                throw new IllegalStateException("cannot issue a certificate for " + name + " in " + mspId, e);
            }
        }

        private static byte[] attributeJson(SortedMap<String, String> attributes) {
            try {
                return JSON.writeValueAsString(Map.of("attrs", attributes)).getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot encode attributes " + attributes, e);
            }
        }

        private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
                throws GeneralSecurityException {
            try {
                var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
                return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            } catch (OperatorCreationException e) {
                throw new GeneralSecurityException(e);
            }
        }

        private static KeyPair newKeyPair() {
            try {
                var generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("no EC P-256 key generator", e);
            }
        }

        private static BigInteger serialNumber() {
            return new BigInteger(128, RANDOM).setBit(127);
        }
    }

    @Override
    public String toString() {
        List<String> orgs = new ArrayList<>(cas.keySet());
        return "TestIdentities" + orgs;
    }
}
