package io.gridledger.devnet.orderer;

import java.time.Duration;

/**
 * When the orderer cuts a block, as Fabric's {@code BatchTimeout} and {@code BatchSize}: after {@code timeout}
 * from the first pending envelope, or once {@code maxMessageCount} envelopes or {@code preferredMaxBytes} are
 * pending. Envelopes above {@code absoluteMaxBytes} are refused.
 */
public record BatchSettings(Duration timeout, int maxMessageCount, long preferredMaxBytes, long absoluteMaxBytes) {

    public static final BatchSettings DEFAULT = new BatchSettings(Duration.ofMillis(250), 100, 2L << 20, 10L << 20);

    public BatchSettings {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("batch timeout must be positive, got " + timeout);
        }
        if (maxMessageCount < 1) {
            throw new IllegalArgumentException("max message count must be at least 1, got " + maxMessageCount);
        }
        if (preferredMaxBytes < 1 || absoluteMaxBytes < preferredMaxBytes) {
            throw new IllegalArgumentException("need 0 < preferredMaxBytes <= absoluteMaxBytes");
        }
    }
}
