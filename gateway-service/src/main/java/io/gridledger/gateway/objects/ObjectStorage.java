package io.gridledger.gateway.objects;

import io.gridledger.storage.DigestMismatchException;
import io.gridledger.storage.ObjectInfo;
import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.ObjectNotFoundException;
import io.gridledger.storage.ObjectStore;
import io.gridledger.storage.PendingUpload;
import io.gridledger.storage.PresignedUpload;
import io.gridledger.storage.PresignedUrl;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * This org's object store as the gateway uses it: the {@link ObjectStore} port (content-addressed objects
 * {@code sha256/<hex>}, staged presigned uploads {@code incoming/presigned/…}, records {@code records/…}), with URLs
 * presigned for the address partners and other orgs' nodes reach it by, valid for the configured expiry.
 *
 * <pre>{@code
 * PresignedUrl download = storage.presignGet(sha256);          // for a node of another org, or a partner
 * Optional<ObjectInfo> input = storage.findOrPromote(sha256);  // stored, or a staged upload of it that checks out
 * }</pre>
 */
public final class ObjectStorage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObjectStorage.class);

    private final ObjectStore store;
    private final ObjectStore presigner;
    private final Duration expiry;
    private final long maxObjectBytes;

    ObjectStorage(ObjectStore store, ObjectStore presigner, Duration expiry, long maxObjectBytes) {
        this.maxObjectBytes = maxObjectBytes;
        this.store = Objects.requireNonNull(store, "store");
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.expiry = Objects.requireNonNull(expiry, "expiry");
    }

    /** The port itself, for streaming puts and reads. */
    public ObjectStore store() {
        return store;
    }

    /** How long the URLs this hands out are valid. */
    public Duration expiry() {
        return expiry;
    }

    /** The largest object a partner or a node may upload ({@code gridledger.objects.max-object-bytes}). */
    public long maxObjectBytes() {
        return maxObjectBytes;
    }

    public void createBucket() throws StorageException {
        store.createBucket();
    }

    public PresignedUrl presignGet(Sha256 sha256) throws StorageException {
        return presigner.presignGet(ObjectKey.of(sha256), expiry);
    }

    /** A PUT URL to a fresh staging name for the bytes of {@code sha256}; they count once {@link ObjectStore#promote}d. */
    public PresignedUpload presignPut(Sha256 sha256) throws StorageException {
        return presigner.presignPut(sha256, expiry);
    }

    public Optional<ObjectInfo> stat(Sha256 sha256) throws StorageException {
        return store.stat(ObjectKey.of(sha256));
    }

    /**
     * The stored object of {@code sha256}, promoting a staged upload of it whose bytes check out if it is not stored
     * yet; empty if neither. Staged uploads of other bytes are discarded on the way.
     */
    public Optional<ObjectInfo> findOrPromote(Sha256 sha256) throws StorageException {
        var stored = store.stat(ObjectKey.of(sha256));
        if (stored.isPresent()) {
            return stored;
        }
        for (PendingUpload upload : store.pendingUploads(sha256)) {
            try {
                return Optional.of(store.promote(upload));
            } catch (DigestMismatchException e) {
                LOG.debug("a staged upload of {} held other bytes ({}): discarded", sha256, e.actual());
            } catch (ObjectNotFoundException e) {
                LOG.debug("a staged upload of {} went away meanwhile (promoted by another request)", sha256);
                stored = store.stat(ObjectKey.of(sha256));
                if (stored.isPresent()) {
                    return stored;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        store.close();
        if (presigner != store) {
            presigner.close();
        }
    }
}
