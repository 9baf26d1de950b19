package io.gridledger.devnet.msp;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signatures this devnet JVM has already found valid (or made itself), so that it computes each verification
 * once. A real network checks the same signature in several processes — both endorsers verify the client's proposal,
 * the orderer and then every peer's validator the client's envelope, every validator the endorsers' signatures it
 * received — and devnet, being all of those nodes in one process, used to compute each of them again.
 *
 * <p>Sound because verification is a pure function of (public key, message, signature): an entry is the exact
 * uncompressed public key, the SHA-256 of the message and the exact DER signature bytes, and only "valid" is
 * remembered (strict DER and low S are checked before the memo is consulted). Finding a different message under a
 * remembered entry would need a SHA-256 collision. Bounded: two generations of {@link #GENERATION} entries, the
 * older dropped whole when the newer fills — at devnet's rates a signature is remembered for tens of seconds, while
 * the checks of one transaction happen within a second or two.
 */
final class VerifiedSignatures {

    static final int GENERATION = 16_384;

    private static volatile ConcurrentHashMap<ByteBuffer, Boolean> current = new ConcurrentHashMap<>();
    private static volatile ConcurrentHashMap<ByteBuffer, Boolean> previous = new ConcurrentHashMap<>();

    private VerifiedSignatures() {
    }

    static boolean contains(ByteBuffer key) {
        return current.containsKey(key) || previous.containsKey(key);
    }

    static void add(ByteBuffer key) {
        var generation = current;
        generation.put(key, Boolean.TRUE);
        if (generation.size() >= GENERATION) {
            synchronized (VerifiedSignatures.class) {
                if (current == generation) {
                    previous = generation;
                    current = new ConcurrentHashMap<>();
                }
            }
        }
    }
}
