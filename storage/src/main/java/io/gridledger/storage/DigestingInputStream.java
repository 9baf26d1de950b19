package io.gridledger.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Passes a stream through while computing the SHA-256 and the length of every byte read, so a store learns an
 * object's key in the same pass that uploads it.
 *
 * <p>{@link #skip} reads the skipped bytes too (they count), and mark/reset is not supported: the digest is always
 * the digest of exactly the bytes that went through.
 */
public final class DigestingInputStream extends FilterInputStream {

    private final MessageDigest digest = Sha256.newDigest();
    private long byteCount;
    private boolean endReached;
    private Sha256 sha256;

    public DigestingInputStream(InputStream in) {
        super(Objects.requireNonNull(in, "in"));
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            endReached = true;
        } else {
            digest.update((byte) b);
            byteCount++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n < 0) {
            endReached = true;
        } else {
            digest.update(buffer, offset, n);
            byteCount += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long skipped = 0;
        while (skipped < n) {
            int read = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (read < 0) {
                break;
            }
            skipped += read;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
        // Not supported: see markSupported().
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("a digesting stream cannot be reset");
    }

    /** Bytes read so far. */
    public long byteCount() {
        return byteCount;
    }

    /** Whether the underlying stream has reported its end. */
    public boolean endReached() {
        return endReached;
    }

    /**
     * The SHA-256 of every byte read.
     *
     * @throws IllegalStateException before the end of the stream was reached: the digest would be of a prefix
     */
    public Sha256 sha256() {
        if (!endReached) {
            throw new IllegalStateException("the stream was not read to its end (" + byteCount + " bytes so far)");
        }
        if (sha256 == null) {
            sha256 = Sha256.fromBytes(digest.digest());
        }
        return sha256;
    }
}
