package io.gridledger.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An upload through a presigned PUT URL that does not count yet: the bytes land under a staging name, and only
 * {@link ObjectStore#promote} — which reads them back and checks their SHA-256 — makes them the object {@link #target}.
 *
 * <p>Its {@link #token()} is all a service needs to promote the upload later, from any instance: the staging name is
 * derived from it.
 *
 * @param target   the object the uploaded bytes must become: their SHA-256 is its key's
 * @param uploadId a random name for this upload, so that two uploaders of the same content never collide
 */
public record PendingUpload(ObjectKey target, String uploadId) {

    private static final Pattern UPLOAD_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    public PendingUpload {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(uploadId, "uploadId");
        if (!UPLOAD_ID.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("an upload id is 1 to 64 letters, digits or '-': \"" + uploadId + "\"");
        }
    }

    /** Reads a {@link #token()}: {@code <64 hex digits>/<upload id>}. */
    public static PendingUpload parse(String token) {
        Objects.requireNonNull(token, "token");
        int slash = token.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("an upload token is <sha256 hex>/<upload id>: \"" + token + "\"");
        }
        return new PendingUpload(ObjectKey.of(Sha256.parse(token.substring(0, slash))), token.substring(slash + 1));
    }

    /** A string that names this upload, for {@link #parse}. */
    public String token() {
        return target.sha256().hex() + "/" + uploadId;
    }
}
