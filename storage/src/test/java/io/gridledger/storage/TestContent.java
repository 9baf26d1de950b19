package io.gridledger.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/** Test bytes: small arrays, and large streams that are generated as they are read and never held in memory. */
public final class TestContent {

    private TestContent() {
    }

    /** {@code size} pseudo-random bytes, the same for the same seed (and the same as {@link #stream}'s). */
    public static byte[] bytes(int size, long seed) {
        try {
            return stream(size, seed).readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A stream of {@code size} pseudo-random bytes, generated as it is read: only a small buffer is ever held. */
    public static InputStream stream(long size, long seed) {
        return new GeneratedStream(size, seed);
    }

    /** The SHA-256 of {@link #stream(long, long)}'s bytes, computed by streaming them. */
    public static Sha256 sha256(long size, long seed) throws IOException {
        var digesting = new DigestingInputStream(stream(size, seed));
        digesting.transferTo(java.io.OutputStream.nullOutputStream());
        return digesting.sha256();
    }

    /** Bytes from a seeded generator, one fixed-size block at a time: the same bytes whatever the read sizes. */
    private static final class GeneratedStream extends InputStream {

        private final SplittableRandom random;
        private final byte[] block = new byte[8192];
        private int position = block.length;
        private long remaining;

        GeneratedStream(long size, long seed) {
            this.random = new SplittableRandom(seed);
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            if (position == block.length) {
                random.nextBytes(block);
                position = 0;
            }
            int n = (int) Math.min(Math.min(length, remaining), block.length - position);
            System.arraycopy(block, position, buffer, offset, n);
            position += n;
            remaining -= n;
            return n;
        }
    }
}
