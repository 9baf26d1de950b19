package io.gridledger.devnet.orderer;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The block-cutting settings a devnet sets itself, over those of the channel's configtx.yaml profile
 * ({@code BatchTimeout}, {@code BatchSize}) that hold otherwise: {@code devnet up --batch-timeout 1s} changes the
 * timeout and keeps the file's batch size.
 *
 * <pre>{@code
 * BatchSettings settings = BatchOverrides.NONE.withTimeout(Duration.ofSeconds(1)).applyTo(fromConfigtx);
 * }</pre>
 */
public record BatchOverrides(Optional<Duration> timeout, OptionalInt maxMessageCount, OptionalLong preferredMaxBytes,
                             OptionalLong absoluteMaxBytes) {

    /** Everything as configtx.yaml says. */
    public static final BatchOverrides NONE =
            new BatchOverrides(Optional.empty(), OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty());

    public BatchOverrides {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(maxMessageCount, "maxMessageCount");
        Objects.requireNonNull(preferredMaxBytes, "preferredMaxBytes");
        Objects.requireNonNull(absoluteMaxBytes, "absoluteMaxBytes");
    }

    /** Every setting as {@code settings} says, whatever configtx.yaml says. */
    public static BatchOverrides all(BatchSettings settings) {
        return new BatchOverrides(Optional.of(settings.timeout()), OptionalInt.of(settings.maxMessageCount()),
                OptionalLong.of(settings.preferredMaxBytes()), OptionalLong.of(settings.absoluteMaxBytes()));
    }

    public BatchOverrides withTimeout(Duration value) {
        return new BatchOverrides(Optional.of(value), maxMessageCount, preferredMaxBytes, absoluteMaxBytes);
    }

    public BatchOverrides withMaxMessageCount(int value) {
        return new BatchOverrides(timeout, OptionalInt.of(value), preferredMaxBytes, absoluteMaxBytes);
    }

    /** The settings to cut blocks with: these overrides over {@code fromConfigtx}. */
    public BatchSettings applyTo(BatchSettings fromConfigtx) {
        return new BatchSettings(timeout.orElse(fromConfigtx.timeout()),
                maxMessageCount.orElse(fromConfigtx.maxMessageCount()),
                preferredMaxBytes.orElse(fromConfigtx.preferredMaxBytes()),
                absoluteMaxBytes.orElse(fromConfigtx.absoluteMaxBytes()));
    }

}
