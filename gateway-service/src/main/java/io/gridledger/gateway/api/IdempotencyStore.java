package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.AtomicFile;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Idempotency records on disk, one file per partner and key ({@code <dataDir>/idempotency/<sha256>.json}), each
 * replaced atomically and forced to disk before the gateway acts on it: they survive a crash or restart. Records older
 * than {@link ApiSettings#idempotencyTtl()} are removed hourly.
 */
@Singleton
final class IdempotencyStore {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);

    private final Path dir;
    private final JsonMapper json;
    private final ApiSettings settings;
    private final Clock clock;

    IdempotencyStore(ApiSettings settings, JsonMapper json) {
        this.dir = Path.of(settings.dataDir(), "idempotency");
        this.json = json;
        this.settings = settings;
        this.clock = Clock.systemUTC();
    }

    Optional<IdempotencyRecord> get(String partnerId, String key) {
        return AtomicFile.read(file(partnerId, key)).map(bytes -> {
            try {
                return json.readValue(bytes, Argument.of(IdempotencyRecord.class));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable idempotency record " + file(partnerId, key), e);
            }
        });
    }

    void put(IdempotencyRecord record) {
        try {
            AtomicFile.write(file(record.partnerId(), record.key()), json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an idempotency record", e);
        }
    }

    void delete(String partnerId, String key) {
        AtomicFile.delete(file(partnerId, key));
    }

    @Scheduled(fixedDelay = "1h", initialDelay = "1m")
    void purgeExpired() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        var cutoff = clock.instant().minus(settings.idempotencyTtl());
        try (var files = Files.list(dir)) {
            files.filter(f -> f.toString().endsWith(".json")).forEach(f -> {
                try {
                    if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(f);
                    }
                } catch (IOException e) {
                    LOG.warn("cannot purge idempotency record {}: {}", f, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot list idempotency records in {}: {}", dir, e.getMessage());
        }
    }

    private Path file(String partnerId, String key) {
        try {
            var sha = MessageDigest.getInstance("SHA-256")
                    .digest((partnerId + "\u0000" + key).getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(sha) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
