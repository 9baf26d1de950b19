package io.gridledger.exchange;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Objects;

/**
 * Signs exchange requests with a provider node's Fabric identity (its MSP ID, PEM certificate and private key, or a
 * {@link DigestSigner} that holds the key elsewhere). Safe for concurrent use.
 *
 * <pre>{@code
 * var signer = NodeRequestSigner.create("Org2MSP", Files.readString(signcert), privateKey);
 * byte[] body = json.getBytes(UTF_8);
 * var signed = signer.sign("POST", NodeExchange.outputsTarget(jobId, 0), "Org1MSP", body);
 * var request = HttpRequest.newBuilder(URI.create(gatewayUrl + signed.canonical().target()))
 *         .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
 * signed.headers().forEach(request::header);
 * }</pre>
 *
 * <p>Each call draws a fresh 32-byte nonce and reads the clock, so a request must be signed again to be sent again.
 * Signatures are normalized to low S, as Fabric produces and requires.
 */
public final class NodeRequestSigner {

    private static final int NONCE_BYTES = 32;

    private final String mspId;
    private final String certificatePem;
    private final String certificateHeader;
    private final String certificateSha256;
    private final BigInteger curveOrder;
    private final DigestSigner signer;
    private final Clock clock;
    private final SecureRandom random;

    private NodeRequestSigner(String mspId, String certificatePem, DigestSigner signer, Clock clock,
                              SecureRandom random) {
        this.mspId = requireToken(mspId, "mspId");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        try {
            var certificate = NodeCertificates.parsePem(certificatePem);
            this.curveOrder = EcdsaSignature.curveOrder(certificate.getPublicKey()).orElseThrow(() ->
                    new IllegalArgumentException("node certificates hold EC keys; this one holds "
                            + certificate.getPublicKey().getAlgorithm()));
            this.certificateSha256 = NodeCertificates.sha256(certificate);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage(), e);
        }
        this.certificatePem = certificatePem;
        this.certificateHeader = NodeCertificates.toHeader(certificatePem);
    }

    /** A signer whose key is in memory. */
    public static NodeRequestSigner create(String mspId, String certificatePem, PrivateKey key) {
        return create(mspId, certificatePem, DigestSigner.of(key));
    }

    /** A signer that hands each payload's SHA-256 to {@code signer} (an HSM, the Fabric Gateway SDK's Signer). */
    public static NodeRequestSigner create(String mspId, String certificatePem, DigestSigner signer) {
        return new NodeRequestSigner(mspId, certificatePem, signer, Clock.systemUTC(), new SecureRandom());
    }

    /** The same signer reading another clock (tests). */
    public NodeRequestSigner withClock(Clock clock) {
        return new NodeRequestSigner(mspId, certificatePem, signer, clock, random);
    }

    public String mspId() {
        return mspId;
    }

    /**
     * The headers for one request.
     *
     * @param method   HTTP method ({@code GET}, {@code POST}); upper-cased
     * @param target   the request target as it goes on the wire: path and, if any, {@code ?query}
     *                 ({@link NodeExchange#inputsTarget} and the other helpers build them)
     * @param audience the MSP ID of the org whose gateway receives the request
     * @param body     the body's exact bytes ({@code new byte[0]} for none)
     */
    public SignedHeaders sign(String method, String target, String audience, byte[] body) {
        Objects.requireNonNull(body, "body");
        byte[] nonceBytes = new byte[NONCE_BYTES];
        random.nextBytes(nonceBytes);
        var canonical = new CanonicalRequest(Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT),
                requireTarget(target), requireToken(audience, "audience"), mspId, certificateSha256, clock.millis(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(nonceBytes), Hex.sha256(body));
        byte[] der;
        try {
            der = signer.sign(canonical.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the node's key could not sign: " + e.getMessage(), e);
        }
        var signature = EcdsaSignature.parse(der).orElseThrow(() ->
                new IllegalStateException("the signer returned no DER ECDSA signature"));
        var headers = new LinkedHashMap<String, String>();
        headers.put(NodeExchange.HEADER_MSP, mspId);
        headers.put(NodeExchange.HEADER_CERTIFICATE, certificateHeader);
        headers.put(NodeExchange.HEADER_AUDIENCE, canonical.audience());
        headers.put(NodeExchange.HEADER_TIMESTAMP, Long.toString(canonical.timestamp()));
        headers.put(NodeExchange.HEADER_NONCE, canonical.nonce());
        headers.put(NodeExchange.HEADER_SIGNATURE,
                Base64.getEncoder().encodeToString(signature.toLowS(curveOrder).toDer()));
        return new SignedHeaders(headers, canonical);
    }

    private static String requireTarget(String target) {
        Objects.requireNonNull(target, "target");
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("a request target is a path starting with '/': \"" + target + "\"");
        }
        return target;
    }

    private static String requireToken(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException(name + " must be printable ASCII without spaces: \"" + value + "\"");
        }
        return value;
    }
}
