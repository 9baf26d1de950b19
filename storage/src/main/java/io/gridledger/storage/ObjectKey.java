package io.gridledger.storage;

import java.util.Objects;

/**
 * Where a content-addressed object lives in its bucket: {@code sha256/<64 hex digits>}, the SHA-256 of its bytes.
 *
 * <p>The key is the object's identity: anyone holding it can check the bytes they download, and the same bytes always
 * get the same key, so storing them twice stores them once.
 *
 * @param sha256 the digest of the object's bytes
 */
public record ObjectKey(Sha256 sha256) {

    /** The prefix of every content-addressed object name. */
    public static final String PREFIX = "sha256/";

    public ObjectKey {
        Objects.requireNonNull(sha256, "sha256");
    }

    public static ObjectKey of(Sha256 sha256) {
        return new ObjectKey(sha256);
    }

    /** Reads an object name such as {@code sha256/9f86d0…}: the prefix, then 64 hex digits. */
    public static ObjectKey parse(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a content-addressed object name starts with \"" + PREFIX + "\": \""
                    + name + "\"");
        }
        return new ObjectKey(Sha256.parse(name.substring(PREFIX.length())));
    }

    /** The object's name in its bucket. */
    public String name() {
        return PREFIX + sha256.hex();
    }

    @Override
    public String toString() {
        return name();
    }
}
