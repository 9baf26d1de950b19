package io.gridledger.agent.result;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures for the README, printed, not asserted: digest throughput on many small files and on one large file (both
 * just written, so from the page cache), beside coreutils' sha256sum on the large file. Sizes:
 * {@code -Ddigest.measure.files=5000 -Ddigest.measure.largeMiB=256}.
 */
class ResultDigestMeasurementTest {

    @TempDir
    Path dir;

    @Test
    void digest_throughput_is_measured() throws Exception {
        int files = Integer.getInteger("digest.measure.files", 5000);
        int largeMiB = Integer.getInteger("digest.measure.largeMiB", 256);
        var random = new Random(42);

        Path small = Files.createDirectories(dir.resolve("small"));
        byte[] block = new byte[4096];
        for (int i = 0; i < files; i++) {
            random.nextBytes(block);
            Path file = small.resolve("d" + (i % 50)).resolve("f" + i + ".dat");
            Files.createDirectories(file.getParent());
            Files.write(file, block);
        }
        Path large = Files.createDirectories(dir.resolve("large"));
        byte[] chunk = new byte[1 << 20];
        random.nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(large.resolve("data.bin"))) {
            for (int i = 0; i < largeMiB; i++) {
                chunk[i % chunk.length] ^= (byte) i; // no two MiB alike, without generating 256 MiB of randomness
                out.write(chunk);
            }
        }

        ResultDigest.unlimited().compute(small); // warm-up: class loading and JIT
        double smallSeconds = seconds(() -> ResultDigest.unlimited().compute(small));
        double largeSeconds = seconds(() -> ResultDigest.unlimited().compute(large));
        double coreutilsSeconds = seconds(() -> {
            var process = new ProcessBuilder("sha256sum", large.resolve("data.bin").toString())
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        });

        double smallMiB = files * 4096 / (1024.0 * 1024);
        System.out.printf("ResultDigest: %,d files of 4 KiB (%.0f MiB) in %.2f s: %.0f MiB/s, %,.0f files/s; "
                        + "one %d MiB file in %.2f s: %.0f MiB/s (sha256sum: %.0f MiB/s)%n",
                files, smallMiB, smallSeconds, smallMiB / smallSeconds, files / smallSeconds, largeMiB, largeSeconds,
                largeMiB / largeSeconds, largeMiB / coreutilsSeconds);
        assertThat(ResultDigest.unlimited().compute(small).entries()).hasSize(files);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double seconds(Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
