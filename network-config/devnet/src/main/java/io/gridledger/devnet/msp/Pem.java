package io.gridledger.devnet.msp;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** PEM encoding as Go's {@code encoding/pem} writes it (64-column base64, trailing newline), and PEM decoding. */
final class Pem {

    private static final String CERTIFICATE = "CERTIFICATE";
    private static final Base64.Encoder ENCODER = Base64.getMimeEncoder(64, new byte[] {'\n'});

    private Pem() {
    }

    static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + ENCODER.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    static String certificate(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException("a parsed certificate cannot be re-encoded", e);
        }
    }

    /** A PKCS#8 {@code PRIVATE KEY} block, as cryptogen writes {@code priv_sk}. */
    static String privateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** The certificates of every {@code CERTIFICATE} block in {@code pem}, in order. */
    static List<X509Certificate> certificates(String pem) throws CertificateException {
        var certificates = new ArrayList<X509Certificate>();
        var factory = CertificateFactory.getInstance("X.509");
        int from = 0;
        while (true) {
            var block = nextBlock(pem, CERTIFICATE, from);
            if (block.isEmpty()) {
                return certificates;
            }
            certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.get().der)));
            from = block.get().end;
        }
    }

    /** The first {@code CERTIFICATE} block of {@code pem}, or empty if there is none or it is not base64. */
    static Optional<byte[]> firstCertificateDer(String pem) {
        return nextBlock(pem, CERTIFICATE, 0).map(block -> block.der);
    }

    /** A private key in PKCS#8 ({@code PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) PEM. */
    static PrivateKey privateKey(String pem) throws IOException {
        try (var parser = new PEMParser(new StringReader(pem))) {
            var object = parser.readObject();
            var converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException("no PEM private key found");
        }
    }

    private record Block(byte[] der, int end) {
    }

    private static Optional<Block> nextBlock(String pem, String type, int from) {
        var begin = "-----BEGIN " + type + "-----";
        var endMarker = "-----END " + type + "-----";
        int start = pem.indexOf(begin, from);
        if (start < 0) {
            return Optional.empty();
        }
        int end = pem.indexOf(endMarker, start + begin.length());
        if (end < 0) {
            return Optional.empty();
        }
        var body = pem.substring(start + begin.length(), end);
        try {
            return Optional.of(new Block(Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII)),
                    end + endMarker.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
