package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.AtomicFile;
import io.gridledger.ledger.Identities;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The gateway's job ids: {@code j-<partner tag>-<request tag>}, both HMAC-SHA256 under a key only this gateway has
 * ({@code <dataDir>/job-id.key}, made on first start, kept across restarts), over this org's MSP ID, the partner and
 * the request's Idempotency-Key.
 *
 * <ul>
 *   <li>A retried submission (same partner, same key) maps to the same job, even after a restart: the contract refuses
 *       a second {@code SubmitJob} of an id, so the ledger keeps submissions idempotent.</li>
 *   <li>Nobody else can predict an id before it is on the ledger, so another member cannot take a partner's next job
 *       id first.</li>
 *   <li>The partner tag says which partner of this gateway a job id was made for: partners that share a Fabric identity
 *       still see only their own jobs.</li>
 * </ul>
 */
@Singleton
public final class JobIds {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int PARTNER_TAG = 10;
    private static final int REQUEST_TAG = 26;

    private final byte[] key;
    private final String mspId;

    public JobIds(ApiSettings settings, Identities identities) {
        this.key = loadOrCreateKey(Path.of(settings.dataDir(), "job-id.key"));
        this.mspId = identities.mspId();
    }

    public String derive(String partnerId, String idempotencyKey) {
        return "j-" + partnerTag(partnerId) + "-" + tag("job", partnerId + "\u0000" + idempotencyKey, REQUEST_TAG);
    }

    /** Whether {@code jobId} was made by this gateway for {@code partnerId}. */
    public boolean madeFor(String partnerId, String jobId) {
        return jobId.startsWith("j-" + partnerTag(partnerId) + "-");
    }

    private String partnerTag(String partnerId) {
        return tag("partner", partnerId, PARTNER_TAG);
    }

    private String tag(String kind, String value, int length) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            var digest = mac.doFinal((kind + "\u0000" + mspId + "\u0000" + value).getBytes(StandardCharsets.UTF_8));
            var out = new StringBuilder(length);
            int buffer = 0;
            int bits = 0;
            for (int i = 0; out.length() < length; ) {
                if (bits < 5) {
                    buffer = (buffer << 8) | (digest[i++] & 0xff);
                    bits += 8;
                }
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
            return out.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] loadOrCreateKey(Path file) {
        var existing = AtomicFile.read(file);
        if (existing.isPresent()) {
            return HexFormat.of().parseHex(new String(existing.get(), StandardCharsets.US_ASCII).strip());
        }
        var key = new byte[32];
        new SecureRandom().nextBytes(key);
        AtomicFile.write(file, HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
        return key;
    }
}
