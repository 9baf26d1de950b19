package io.gridledger.gateway.bench;

import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.PutOptions;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.embedded.EmbeddedS3Server;
import io.gridledger.storage.minio.MinioObjectStore;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Data-path throughput of the gateway's object store, and what verifying the bytes costs: not a test (it measures).
 *
 * <p>Against the embedded S3 server (s3proxy, filesystem backend, a child JVM) as the gateway uses it, with objects
 * of {@code --size-mib} MiB (distinct random bytes per round, so nothing is deduplicated):
 * <ul>
 *   <li>presigned PUT: a plain HTTP client uploads to a presigned staging URL (what a partner or a node does);</li>
 *   <li>promote: the gateway reads the staged bytes back, hashes them, copies them to {@code sha256/<hex>} — the
 *       verification a presigned upload costs the gateway (the node exchange's {@code complete}, an input's submit);</li>
 *   <li>presigned GET + SHA-256: a plain HTTP client downloads through a presigned URL and hashes what it reads (what
 *       a node does with inputs and a partner with results);</li>
 *   <li>streamed put: the gateway streams bytes to the store while hashing them (a multipart submission's file);</li>
 *   <li>SHA-256 alone in this JVM, the floor of every verification.</li>
 * </ul>
 * MB/s are 10^6 bytes per second, medians over the rounds after one warm-up round.
 *
 * <pre>
 * mvn -B -ntp -Ptransfer-bench -DskipTests -pl gateway-service -am package [-Dtransfer-bench.args="--size-mib 64 --rounds 5"]
 * </pre>
 */
public final class TransferBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int sizeMib = intOption(args, "--size-mib", 64);
        int rounds = intOption(args, "--rounds", 5);
        var out = Path.of(stringOption(args, "--out", "target/bench/transfer.md"));
        long size = sizeMib * 1024L * 1024L;

        var dir = Files.createTempDirectory("transfer-bench-");
        try (var server = EmbeddedS3Server.start(EmbeddedS3Server.Options.filesystem(dir).withMaxHeap("256m"));
             var store = new MinioObjectStore(server.storeConfig("bench"))) {
            store.createBucket();
            var put = new ArrayList<Double>();
            var promote = new ArrayList<Double>();
            var get = new ArrayList<Double>();
            var streamed = new ArrayList<Double>();
            var hashOnly = new ArrayList<Double>();
            var bytes = new byte[(int) size];
            for (int round = 0; round <= rounds; round++) {
                new Random(round).nextBytes(bytes);
                var sha = Sha256.of(bytes);

                long t0 = System.nanoTime();
                Sha256.of(bytes);
                double hash = mbps(size, System.nanoTime() - t0);

                var upload = store.presignPut(sha, Duration.ofMinutes(15));
                t0 = System.nanoTime();
                var status = HTTP.send(HttpRequest.newBuilder(upload.url().uri())
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                double putRate = mbps(size, System.nanoTime() - t0);
                if (status != 200) {
                    throw new IllegalStateException("presigned PUT answered " + status);
                }
                t0 = System.nanoTime();
                store.promote(upload.upload());
                double promoteRate = mbps(size, System.nanoTime() - t0);

                URI url = store.presignGet(ObjectKey.of(sha), Duration.ofMinutes(15)).uri();
                t0 = System.nanoTime();
                var digest = MessageDigest.getInstance("SHA-256");
                try (InputStream in = HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofInputStream()).body()) {
                    var buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
                double getRate = mbps(size, System.nanoTime() - t0);
                if (!Sha256.fromBytes(digest.digest()).equals(sha)) {
                    throw new IllegalStateException("downloaded bytes do not hash to the key");
                }
                store.delete(ObjectKey.of(sha));

                new Random(1000 + round).nextBytes(bytes);
                t0 = System.nanoTime();
                var info = store.put(new java.io.ByteArrayInputStream(bytes), PutOptions.DEFAULT.expectingSize(size));
                double streamRate = mbps(size, System.nanoTime() - t0);
                store.delete(info.key());

                if (round > 0) {
                    hashOnly.add(hash);
                    put.add(putRate);
                    promote.add(promoteRate);
                    get.add(getRate);
                    streamed.add(streamRate);
                }
                System.out.printf("round %d: put %.0f, promote %.0f, get+sha %.0f, streamed put %.0f, sha256 %.0f MB/s%n",
                        round, putRate, promoteRate, getRate, streamRate, hash);
            }
            var report = """
                    # Object transfer benchmark (%s)

                    Embedded S3 server (s3proxy, filesystem backend, child JVM -Xmx256m) on this machine (%d cores,
                    JDK %s); %d MiB objects of random bytes, median of %d rounds after a warm-up. MB/s = 10^6 B/s.

                    | path | MB/s |
                    | --- | ---: |
                    | presigned PUT (plain HTTP client → staging object) | %.0f |
                    | promote (gateway reads back, SHA-256, copies to sha256/<hex>) | %.0f |
                    | presigned GET + SHA-256 of what is read (client) | %.0f |
                    | streamed put with SHA-256 (gateway → store, multipart submission) | %.0f |
                    | SHA-256 alone (this JVM) | %.0f |
                    """.formatted(Instant.now().toString().substring(0, 10), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), sizeMib, rounds, median(put), median(promote), median(get),
                    median(streamed), median(hashOnly));
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, report);
            System.out.println(report);
        }
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / (nanos / 1e9) / 1e6;
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static int intOption(String[] args, String name, int fallback) {
        return Integer.parseInt(stringOption(args, name, Integer.toString(fallback)));
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
