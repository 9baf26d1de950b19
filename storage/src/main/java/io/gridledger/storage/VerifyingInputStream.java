package io.gridledger.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An object's bytes as read from the store, checked against its key: when the end is reached, the SHA-256 of what
 * was read must be the key's, or the read that reached the end throws {@link DigestMismatchException} (stage
 * {@link DigestMismatchException.Stage#READ}) instead of returning -1, and every read after it does too.
 *
 * <p>Like the {@link DigestingInputStream} it reads through, it supports no mark/reset. Only a stream read to its end
 * is verified; a caller that stops early has not checked the bytes it used. Bytes
 * are handed out before the end is known to be right, as with any streaming download: a consumer that acts on them
 * before the end (extracting an archive, say) must undo that work when the last read fails.
 */
public final class VerifyingInputStream extends FilterInputStream {

    private final String bucket;
    private final ObjectKey key;
    private final DigestingInputStream digesting;
    private DigestMismatchException failure;

    public VerifyingInputStream(InputStream in, String bucket, ObjectKey key) {
        this(new DigestingInputStream(in), bucket, key);
    }

    private VerifyingInputStream(DigestingInputStream digesting, String bucket, ObjectKey key) {
        super(digesting);
        this.digesting = digesting;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.key = Objects.requireNonNull(key, "key");
    }

    @Override
    public int read() throws IOException {
        failIfCorrupt();
        int b = digesting.read();
        if (b < 0) {
            verify();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        failIfCorrupt();
        int n = digesting.read(buffer, offset, length);
        if (n < 0) {
            verify();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        failIfCorrupt();
        return digesting.skip(n);
    }

    /** The key the bytes are checked against. */
    public ObjectKey key() {
        return key;
    }

    /** Bytes read so far. */
    public long byteCount() {
        return digesting.byteCount();
    }

    private void failIfCorrupt() throws DigestMismatchException {
        if (failure != null) {
            throw failure;
        }
    }

    private void verify() throws DigestMismatchException {
        Sha256 actual = digesting.sha256();
        if (!actual.equals(key.sha256())) {
            failure = new DigestMismatchException(bucket, key.name(), key.sha256(), actual,
                    DigestMismatchException.Stage.READ);
            throw failure;
        }
    }
}
