package io.gridledger.gateway.testkit;

import io.gridledger.gateway.dispatch.kafka.EmbeddedKafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The embedded Kafka broker shared by this test JVM, in a temporary folder removed at exit. */
public final class TestKafka {

    private static EmbeddedKafka shared;

    private TestKafka() {
    }

    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            try {
                var dir = Files.createTempDirectory("gridledger-kafka-");
                shared = EmbeddedKafka.start(dir, 0);
                var kafka = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    kafka.close();
                    delete(dir);
                }, "stop-test-kafka"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
