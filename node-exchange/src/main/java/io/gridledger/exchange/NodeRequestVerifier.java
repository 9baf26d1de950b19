package io.gridledger.exchange;

import io.gridledger.exchange.NodeRequestRejectedException.Reason;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a signed exchange request, cheapest checks first, and says who signed it or exactly what failed:
 *
 * <ol>
 *   <li>every header present once and well formed; the audience is this gateway's org;</li>
 *   <li>the timestamp within {@code tolerance} of the clock;</li>
 *   <li>the certificate parses (EC key, a common name), and {@link CertificateTrust} accepts it for the MSP;</li>
 *   <li>the signature is strict DER, low-S, and verifies over the {@link CanonicalRequest} with the certificate's
 *       key;</li>
 *   <li>the nonce is new for that MSP ({@link NonceRegistry}, registered only now, after the signature).</li>
 * </ol>
 *
 * <pre>{@code
 * var verifier = new NodeRequestVerifier("Org1MSP", Clock.systemUTC(), Duration.ofSeconds(30), trust,
 *         new InMemoryNonceRegistry(100_000, Clock.systemUTC()));
 * VerifiedNode node = verifier.verify("GET", "/api/v1/exchange/jobs/j-1/inputs?replica=0&attempt=1",
 *         request.headers()::allValues, new byte[0]);
 * node.nodeId();   // "Org2MSP/node1@org2.gridledger.example"
 * }</pre>
 *
 * Safe for concurrent use if its trust and registry are.
 */
public final class NodeRequestVerifier {

    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,18}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");

    private final String audience;
    private final Clock clock;
    private final Duration tolerance;
    private final CertificateTrust trust;
    private final NonceRegistry nonces;

    public NodeRequestVerifier(String audience, Clock clock, Duration tolerance, CertificateTrust trust,
                               NonceRegistry nonces) {
        this.audience = Objects.requireNonNull(audience, "audience");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("the clock tolerance must be positive");
        }
    }

    /**
     * Verifies one request.
     *
     * @param method  the request's method
     * @param target  the request target as received: raw (still percent-encoded) path, then {@code ?} and the raw
     *                query if the request line had one
     * @param headers every value of a header name (case-insensitive lookup), empty if absent
     * @param body    the body's bytes as received
     */
    public VerifiedNode verify(String method, String target, Function<String, List<String>> headers, byte[] body)
            throws NodeRequestRejectedException {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");

        String mspId = token(headers, NodeExchange.HEADER_MSP);
        String audienceHeader = token(headers, NodeExchange.HEADER_AUDIENCE);
        String timestampHeader = single(headers, NodeExchange.HEADER_TIMESTAMP);
        String nonce = single(headers, NodeExchange.HEADER_NONCE);
        String certificateHeader = single(headers, NodeExchange.HEADER_CERTIFICATE);
        String signatureHeader = single(headers, NodeExchange.HEADER_SIGNATURE);

        if (!audience.equals(audienceHeader)) {
            throw new NodeRequestRejectedException(Reason.WRONG_AUDIENCE, NodeExchange.HEADER_AUDIENCE,
                    "the request was signed for " + audienceHeader + "'s gateway; this is " + audience + "'s");
        }
        long timestamp = timestamp(timestampHeader);
        checkNonceForm(nonce);
        checkWindow(timestamp);

        var certificate = certificate(certificateHeader);
        String commonName = NodeCertificates.commonName(certificate).orElseThrow(() -> new NodeRequestRejectedException(
                Reason.CERTIFICATE_MALFORMED, NodeExchange.HEADER_CERTIFICATE,
                "the certificate's subject has no single common name"));
        var order = EcdsaSignature.curveOrder(certificate.getPublicKey()).orElseThrow(() ->
                new NodeRequestRejectedException(Reason.CERTIFICATE_MALFORMED, NodeExchange.HEADER_CERTIFICATE,
                        "the certificate's key is " + certificate.getPublicKey().getAlgorithm() + ", not EC"));
        trust.check(mspId, certificate, clock.instant());

        var canonical = new CanonicalRequest(method.toUpperCase(Locale.ROOT), target, audienceHeader, mspId,
                NodeCertificates.sha256(certificate), timestamp, nonce, Hex.sha256(body));
        checkSignature(canonical, certificate, order, signatureHeader);

        if (!nonces.register(mspId, nonce, Instant.ofEpochMilli(timestamp).plus(tolerance))) {
            throw new NodeRequestRejectedException(Reason.NONCE_REPLAYED, NodeExchange.HEADER_NONCE,
                    "nonce " + nonce + " of " + mspId + " was already used: a request is signed anew to be sent again");
        }
        return new VerifiedNode(mspId, commonName, certificate, Instant.ofEpochMilli(timestamp), nonce);
    }

    private static String single(Function<String, List<String>> headers, String name)
            throws NodeRequestRejectedException {
        var values = headers.apply(name);
        if (values == null || values.isEmpty()) {
            throw new NodeRequestRejectedException(Reason.HEADER_MISSING, name, "header " + name + " is missing");
        }
        if (values.size() > 1) {
            throw new NodeRequestRejectedException(Reason.HEADER_MALFORMED, name, "header " + name
                    + " appears " + values.size() + " times");
        }
        var value = values.get(0).strip();
        if (value.isEmpty()) {
            throw new NodeRequestRejectedException(Reason.HEADER_MISSING, name, "header " + name + " is empty");
        }
        return value;
    }

    private static String token(Function<String, List<String>> headers, String name)
            throws NodeRequestRejectedException {
        var value = single(headers, name);
        if (value.length() > 256 || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new NodeRequestRejectedException(Reason.HEADER_MALFORMED, name,
                    "header " + name + " must be at most 256 printable ASCII characters without spaces");
        }
        return value;
    }

    private static long timestamp(String value) throws NodeRequestRejectedException {
        if (!TIMESTAMP.matcher(value).matches()) {
            throw new NodeRequestRejectedException(Reason.HEADER_MALFORMED, NodeExchange.HEADER_TIMESTAMP,
                    "the timestamp is epoch milliseconds in decimal digits: \"" + abbreviate(value) + "\"");
        }
        return Long.parseLong(value);
    }

    private static void checkNonceForm(String nonce) throws NodeRequestRejectedException {
        int maxChars = (NodeExchange.MAX_NONCE_BYTES * 4 + 2) / 3;
        if (nonce.length() > maxChars || !BASE64URL.matcher(nonce).matches()) {
            throw new NodeRequestRejectedException(Reason.HEADER_MALFORMED, NodeExchange.HEADER_NONCE,
                    "the nonce is base64url without padding");
        }
        int bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce).length;
        } catch (IllegalArgumentException e) {
            throw new NodeRequestRejectedException(Reason.HEADER_MALFORMED, NodeExchange.HEADER_NONCE,
                    "the nonce is not base64url: " + e.getMessage());
        }
        if (bytes < NodeExchange.MIN_NONCE_BYTES || bytes > NodeExchange.MAX_NONCE_BYTES) {
            throw new NodeRequestRejectedException(Reason.HEADER_MALFORMED, NodeExchange.HEADER_NONCE,
                    "the nonce is " + bytes + " bytes; it must be " + NodeExchange.MIN_NONCE_BYTES + " to "
                            + NodeExchange.MAX_NONCE_BYTES);
        }
    }

    private void checkWindow(long timestamp) throws NodeRequestRejectedException {
        long now = clock.millis();
        long skew = timestamp - now;
        if (skew < -tolerance.toMillis()) {
            throw new NodeRequestRejectedException(Reason.TIMESTAMP_STALE, NodeExchange.HEADER_TIMESTAMP,
                    "the request was signed " + (-skew) + " ms ago; at most " + tolerance.toMillis()
                            + " ms are accepted (check the node's clock, and sign each request just before sending)");
        }
        if (skew > tolerance.toMillis()) {
            throw new NodeRequestRejectedException(Reason.TIMESTAMP_FUTURE, NodeExchange.HEADER_TIMESTAMP,
                    "the request is dated " + skew + " ms ahead of this gateway's clock; at most "
                            + tolerance.toMillis() + " ms are accepted (check the node's clock)");
        }
    }

    private static X509Certificate certificate(String header) throws NodeRequestRejectedException {
        if (header.length() > NodeExchange.MAX_CERTIFICATE_HEADER_CHARS) {
            throw new NodeRequestRejectedException(Reason.CERTIFICATE_MALFORMED, NodeExchange.HEADER_CERTIFICATE,
                    "the certificate header is longer than " + NodeExchange.MAX_CERTIFICATE_HEADER_CHARS + " characters");
        }
        byte[] pem;
        try {
            pem = Base64.getDecoder().decode(header);
        } catch (IllegalArgumentException e) {
            throw new NodeRequestRejectedException(Reason.CERTIFICATE_MALFORMED, NodeExchange.HEADER_CERTIFICATE,
                    "the certificate header is not base64: " + e.getMessage());
        }
        if (!new String(pem, StandardCharsets.US_ASCII).strip().startsWith("-----BEGIN CERTIFICATE-----")) {
            throw new NodeRequestRejectedException(Reason.CERTIFICATE_MALFORMED, NodeExchange.HEADER_CERTIFICATE,
                    "the certificate header is base64 of a PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        try {
            return NodeCertificates.parse(pem);
        } catch (CertificateException e) {
            throw new NodeRequestRejectedException(Reason.CERTIFICATE_MALFORMED, NodeExchange.HEADER_CERTIFICATE,
                    "the certificate does not parse: " + e.getMessage());
        }
    }

    private static void checkSignature(CanonicalRequest canonical, X509Certificate certificate,
                                       java.math.BigInteger order, String header)
            throws NodeRequestRejectedException {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(header);
        } catch (IllegalArgumentException e) {
            throw new NodeRequestRejectedException(Reason.SIGNATURE_INVALID, NodeExchange.HEADER_SIGNATURE,
                    "the signature is not base64: " + e.getMessage());
        }
        var signature = EcdsaSignature.parse(der).orElseThrow(() -> new NodeRequestRejectedException(
                Reason.SIGNATURE_INVALID, NodeExchange.HEADER_SIGNATURE, "the signature is not a DER ECDSA signature"));
        if (!signature.isLowS(order)) {
            throw new NodeRequestRejectedException(Reason.SIGNATURE_INVALID, NodeExchange.HEADER_SIGNATURE,
                    "the signature's S is high: sign low-S as Fabric does (S <= n/2)");
        }
        boolean valid;
        try {
            var verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(canonical.toBytes());
            valid = verifier.verify(der);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new NodeRequestRejectedException(Reason.SIGNATURE_INVALID, NodeExchange.HEADER_SIGNATURE,
                    "the signature does not verify over the canonical request (" + canonical.method() + " "
                            + canonical.target() + ", its body, headers) with the certificate's key");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
