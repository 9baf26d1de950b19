package io.gridledger.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * GridLedger's object storage: one bucket of content-addressed objects, each named by the SHA-256 of its bytes
 * ({@link ObjectKey}, {@code sha256/<hex>}). Job inputs, outputs and logs live here; the ledger holds only their
 * digests, so anyone can check what they download against what the ledger says.
 *
 * <p>The store computes every key itself: {@link #put} digests the bytes while streaming them and refuses them if
 * they do not match what the caller expected, {@link #get} checks them again at the end of every read, and bytes
 * uploaded through a presigned URL count only once {@link #promote} has read them back and checked them. Storing the
 * same bytes twice stores them once.
 *
 * <pre>{@code
 * try (ObjectStore store = new MinioObjectStore(config)) {
 *     store.createBucket();
 *     ObjectInfo stored = store.put(Files.newInputStream(archive), PutOptions.DEFAULT.expectingSha256(digest));
 *     try (InputStream in = store.get(stored.key())) {
 *         in.transferTo(out);   // throws DigestMismatchException at the end if the bytes were corrupted
 *     }
 * }
 * }</pre>
 *
 * <p>Every operation fails with a {@link StorageException} subtype that names what went wrong and carries its
 * context; arguments are checked first ({@link NullPointerException} for a missing one,
 * {@link IllegalArgumentException} for a malformed one). Implementations are safe for concurrent use.
 */
public interface ObjectStore extends AutoCloseable {

    /** The bucket this store works on. */
    String bucket();

    /** Creates the bucket unless it exists; calling it again, from any number of instances, is harmless. */
    void createBucket() throws StorageException;

    /**
     * Stores the bytes of {@code content} (read to its end, not closed) under the key of their SHA-256.
     *
     * <p>Large streams are uploaded in parts, holding one part in memory at a time, never the whole object. The bytes
     * become visible under their key only once they are all uploaded and checked: a failure or a refusal leaves no
     * object behind (a crash at most a staging object or an unfinished multipart upload, which the server expires:
     * see the README).
     * Storing bytes that are already stored succeeds and returns the same key.
     *
     * @throws DigestMismatchException if {@code options} expected another SHA-256; nothing was stored
     * @throws SizeMismatchException   if {@code options} expected another length; nothing was stored
     * @throws IOException             if reading {@code content} fails (that exception, unchanged), or another
     *                                 {@link StorageException}
     */
    ObjectInfo put(InputStream content, PutOptions options) throws IOException;

    /** Stores {@code bytes}: {@link #put(InputStream, PutOptions)} with the defaults. */
    default ObjectInfo put(byte[] bytes) throws StorageException {
        java.util.Objects.requireNonNull(bytes, "bytes");
        try {
            return put(new ByteArrayInputStream(bytes), PutOptions.DEFAULT);
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("a byte array stream cannot fail", e);
        }
    }

    /**
     * The object's bytes as a stream that checks them against the key: read to its end, it throws a
     * {@link DigestMismatchException} (stage {@code READ}, naming the key and both digests) instead of ending if the
     * stored bytes were corrupted. The caller closes it.
     *
     * @throws ObjectNotFoundException if no object has that key
     */
    InputStream get(ObjectKey key) throws StorageException;

    /**
     * {@code length} bytes of the object from {@code offset} (fewer if the object ends first), to resume a download
     * or read part of a large object. A range cannot be checked against the whole object's digest: the caller checks
     * the bytes once it has them all. The caller closes the stream.
     *
     * @throws ObjectNotFoundException  if no object has that key
     * @throws IllegalArgumentException if {@code offset} is negative or {@code length} is not positive
     */
    InputStream getRange(ObjectKey key, long offset, long length) throws StorageException;

    /** Size, content type and modification time of the object, or empty if there is none. */
    Optional<ObjectInfo> stat(ObjectKey key) throws StorageException;

    /** Whether an object has that key. */
    boolean exists(ObjectKey key) throws StorageException;

    /** Removes the object; removing one that does not exist does nothing. */
    void delete(ObjectKey key) throws StorageException;

    /**
     * A URL that lets its holder GET the object with plain HTTP for {@code expiry}, without credentials. It does not
     * check that the object exists. The downloader verifies the bytes against the key, whose SHA-256 it knows.
     *
     * @throws IllegalArgumentException if {@code expiry} is outside the store's configured bounds
     */
    PresignedUrl presignGet(ObjectKey key, Duration expiry) throws StorageException;

    /**
     * A URL that lets its holder PUT the bytes whose SHA-256 is {@code expected} with plain HTTP for {@code expiry}.
     *
     * <p>The bytes land under a staging name, not under their key: nothing trusts them until the service calls
     * {@link #promote} with the returned upload, which reads them back, checks their SHA-256 and only then makes them
     * the object {@code sha256/<expected>}. An S3 server does not check a presigned PUT's bytes against a digest, so
     * this read-back is what makes the upload trustworthy on every server.
     *
     * @throws IllegalArgumentException if {@code expiry} is outside the store's configured bounds
     */
    PresignedUpload presignPut(Sha256 expected, Duration expiry) throws StorageException;

    /**
     * Checks the bytes uploaded for {@code upload} and, if their SHA-256 is the expected one, makes them the object
     * {@code upload.target()}. The staging object is removed either way. Promoting an upload whose target already
     * exists with the same bytes succeeds.
     *
     * @throws ObjectNotFoundException if no bytes were uploaded (or the upload was already promoted or refused)
     * @throws DigestMismatchException if the uploaded bytes have another SHA-256 (stage {@code PROMOTE}); they were
     *                                 discarded
     */
    ObjectInfo promote(PendingUpload upload) throws StorageException;

    /**
     * The presigned uploads of {@code expected} whose bytes arrived and that nobody promoted yet, so that a service
     * that did not keep an upload's token (or another instance of it) can still {@link #promote} them. Only uploads
     * of that digest are listed; whether their bytes are right is for {@link #promote} to find out.
     */
    java.util.List<PendingUpload> pendingUploads(Sha256 expected) throws StorageException;

    /**
     * Writes a small record (at most {@link RecordName#MAX_BYTES}) under its name, replacing any earlier one with
     * that name. Records are not content-addressed: they are what a service finds again by name.
     *
     * @throws IllegalArgumentException if {@code bytes} is larger than {@link RecordName#MAX_BYTES}
     */
    void putRecord(RecordName name, byte[] bytes) throws StorageException;

    /**
     * The record's bytes, or empty if there is none.
     *
     * @throws StorageRequestException if the object under that name is larger than {@link RecordName#MAX_BYTES}
     */
    Optional<byte[]> getRecord(RecordName name) throws StorageException;

    /** Releases the store's connections. */
    @Override
    void close();
}
