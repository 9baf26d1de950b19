package io.gridledger.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows of a stored object without reading it.
 *
 * @param key          the object's key, which is the SHA-256 of its bytes
 * @param size         its length in bytes
 * @param contentType  the media type it was stored with
 * @param lastModified when the store last wrote it (in what a put or a promotion returns: when it finished, by this
 *                     JVM's clock; in what {@link ObjectStore#stat} returns: the server's record)
 */
public record ObjectInfo(ObjectKey key, long size, String contentType, Instant lastModified) {

    public ObjectInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(lastModified, "lastModified");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }

    /** The SHA-256 of the object's bytes (its key's). */
    public Sha256 sha256() {
        return key.sha256();
    }
}
