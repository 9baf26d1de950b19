package io.gridledger.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * No object of that name in the bucket: a key nobody stored (or that was deleted), or a pending upload whose bytes
 * never arrived.
 */
public final class ObjectNotFoundException extends StorageException {

    private static final long serialVersionUID = 1L;

    private final String objectName;

    public ObjectNotFoundException(String bucket, String objectName) {
        super(bucket, "no object " + objectName + " in bucket " + bucket, null);
        this.objectName = Objects.requireNonNull(objectName, "objectName");
    }

    /** The name looked up: a key's {@link ObjectKey#name()} or a pending upload's staging name. */
    public String objectName() {
        return objectName;
    }

    /** The content-addressed key looked up, when it was one. */
    public Optional<ObjectKey> key() {
        return objectName.startsWith(ObjectKey.PREFIX) ? Optional.of(ObjectKey.parse(objectName)) : Optional.empty();
    }
}
