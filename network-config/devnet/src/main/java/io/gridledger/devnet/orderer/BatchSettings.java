package io.gridledger.devnet.orderer;

import io.gridledger.devnet.policy.ChannelDefinition;

import java.time.Duration;

/**
 * When the orderer cuts a block, as Fabric's {@code BatchTimeout} and {@code BatchSize}: after {@code timeout}
 * from the first pending envelope, or once {@code maxMessageCount} envelopes or {@code preferredMaxBytes} are
 * pending. Envelopes above {@code absoluteMaxBytes} are refused.
 */
public record BatchSettings(Duration timeout, int maxMessageCount, long preferredMaxBytes, long absoluteMaxBytes) {


    /** The profile's {@code Orderer} {@code BatchTimeout} and {@code BatchSize}, as configtxgen reads them. */
    public static BatchSettings of(ChannelDefinition.Orderer section) {
        var size = section.batchSize();
        if (size.maxMessageCount() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("BatchSize MaxMessageCount " + size.maxMessageCount() + " is too large");
        }
        return new BatchSettings(section.batchTimeout(), (int) size.maxMessageCount(), size.preferredMaxBytes(),
                size.absoluteMaxBytes());
    }

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
