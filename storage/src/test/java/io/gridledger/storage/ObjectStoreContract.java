package io.gridledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} must do, run against every server this machine can start (fabric-gateway's
 * {@code CommonCheckpointerTest} pattern): a subclass supplies a store on a fresh bucket of its server, and a way to
 * reach that bucket behind the store's back, to see what it really left there and to corrupt an object.
 *
 * <p>Every test gets a bucket of its own. The store's part size must be {@link #PART_SIZE}, so that the tests know
 * which objects go up in parts.
 */
public abstract class ObjectStoreContract {

    /** The part size the subclass's store uses: S3's smallest, so that multipart uploads stay small. */
    protected static final long PART_SIZE = 5L * 1024 * 1024;

    /** The bucket as the server has it, bypassing the store. */
    public interface RawBucket {

        /** Every object in the bucket, staging objects included. */
        List<String> objectNames() throws Exception;

        /** The object names of multipart uploads begun and neither completed nor aborted. */
        List<String> unfinishedUploads() throws Exception;

        /** Replaces an object's bytes without the store knowing. */
        void overwrite(String objectName, byte[] bytes) throws Exception;
    }

    /** A store on {@code bucket} (not yet created) with a part size of {@link #PART_SIZE}. */
    protected abstract ObjectStore newStore(String bucket);

    /** Access to {@code bucket} that bypasses the store. */
    protected abstract RawBucket rawBucket(String bucket);

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    protected ObjectStore store;
    protected RawBucket raw;

    @BeforeEach
    void createFreshBucket() throws StorageException {
        String bucket = "contract-" + BUCKETS.incrementAndGet() + "-" + HexFormat.of().toHexDigits((int) System.nanoTime());
        store = newStore(bucket);
        store.createBucket();
        raw = rawBucket(bucket);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // --- put and get ---

    @Test
    void puts_and_gets_bytes_through_streams() throws Exception {
        byte[] bytes = TestContent.bytes(1_500_000, 1);

        ObjectInfo stored = store.put(new ByteArrayInputStream(bytes), PutOptions.DEFAULT);

        try (InputStream in = store.get(stored.key())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(stored.size()).isEqualTo(bytes.length);
    }

    @Test
    void stores_an_empty_object() throws Exception {
        ObjectInfo stored = store.put(new byte[0]);

        assertThat(stored.sha256()).isEqualTo(Sha256.of(new byte[0]));
        try (InputStream in = store.get(stored.key())) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void streams_an_object_larger_than_the_heap_in_parts_and_reads_it_back_verified() throws Exception {
        long size = 96L * 1024 * 1024;
        assertThat(Runtime.getRuntime().maxMemory())
                .as("this test shows that a put and a get never hold the whole object only if the heap is smaller "
                        + "than the object: run it with -Xmx64m, as failsafe does")
                .isLessThan(size);
        Sha256 expected = TestContent.sha256(size, 7);

        ObjectInfo stored = store.put(TestContent.stream(size, 7),
                PutOptions.DEFAULT.expectingSha256(expected).expectingSize(size));

        assertThat(stored.key()).isEqualTo(ObjectKey.of(expected));
        assertThat(store.stat(stored.key())).hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(size));
        try (var read = new DigestingInputStream(store.get(stored.key()))) {
            read.transferTo(OutputStream.nullOutputStream());
            assertThat(read.byteCount()).isEqualTo(size);
            assertThat(read.sha256()).isEqualTo(expected);
        }
        assertBucketHoldsOnly(stored.key().name());
    }

    @Test
    void an_object_of_exactly_one_part_and_one_of_one_byte_more_both_round_trip() throws Exception {
        for (long size : new long[] {PART_SIZE, PART_SIZE + 1}) {
            Sha256 expected = TestContent.sha256(size, size);

            ObjectInfo stored = store.put(TestContent.stream(size, size), PutOptions.DEFAULT);

            assertThat(stored.sha256()).as("key of %d bytes", size).isEqualTo(expected);
            try (var read = new DigestingInputStream(store.get(stored.key()))) {
                read.transferTo(OutputStream.nullOutputStream());
                assertThat(read.sha256()).isEqualTo(expected);
            }
        }
    }

    @Test
    void a_range_of_an_object_is_read_without_the_rest() throws Exception {
        byte[] bytes = TestContent.bytes(10_000, 3);
        ObjectKey key = store.put(bytes).key();

        try (InputStream in = store.getRange(key, 1000, 500)) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 1500));
        }
        try (InputStream in = store.getRange(key, 9_900, 500)) {
            assertThat(in.readAllBytes()).as("a range past the end stops at the end")
                    .isEqualTo(java.util.Arrays.copyOfRange(bytes, 9_900, 10_000));
        }
    }

    // --- content addressing ---

    @Test
    void the_key_is_sha256_slash_the_hex_digest_of_the_bytes() throws Exception {
        byte[] bytes = "GridLedger".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        ObjectInfo stored = store.put(bytes);

        assertThat(stored.key().name()).isEqualTo("sha256/" + HexFormat.of().formatHex(
                Sha256.newDigest().digest(bytes)));
        assertBucketHoldsOnly(stored.key().name());
    }

    @Test
    void putting_the_same_bytes_again_gives_the_same_key_and_still_one_object() throws Exception {
        byte[] small = TestContent.bytes(4096, 11);
        long large = 2 * PART_SIZE + 17;

        ObjectKey first = store.put(small).key();
        ObjectKey again = store.put(small).key();
        ObjectKey firstLarge = store.put(TestContent.stream(large, 12), PutOptions.DEFAULT).key();
        ObjectKey againLarge = store.put(TestContent.stream(large, 12), PutOptions.DEFAULT).key();

        assertThat(again).isEqualTo(first);
        assertThat(againLarge).isEqualTo(firstLarge);
        assertBucketHoldsOnly(first.name(), firstLarge.name());
    }

    @Test
    void a_put_whose_bytes_do_not_hash_to_the_expected_sha256_is_refused_and_leaves_nothing() throws Exception {
        byte[] bytes = TestContent.bytes(2048, 21);
        Sha256 announced = Sha256.of("something else".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes),
                PutOptions.DEFAULT.expectingSha256(announced)))
                .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                    assertThat(e.stage()).isEqualTo(DigestMismatchException.Stage.PUT);
                    assertThat(e.expected()).isEqualTo(announced);
                    assertThat(e.actual()).isEqualTo(Sha256.of(bytes));
                    assertThat(e.getMessage()).contains(announced.hex(), Sha256.of(bytes).hex(), store.bucket());
                });
        assertBucketHoldsOnly();
        assertThat(store.exists(ObjectKey.of(Sha256.of(bytes)))).isFalse();
    }

    @Test
    void a_multipart_put_whose_bytes_do_not_hash_to_the_expected_sha256_is_refused_and_leaves_nothing()
            throws Exception {
        long size = 2 * PART_SIZE + 1;
        Sha256 announced = TestContent.sha256(size, 31);

        assertThatThrownBy(() -> store.put(TestContent.stream(size, 32), PutOptions.DEFAULT.expectingSha256(announced)))
                .isInstanceOf(DigestMismatchException.class)
                .hasMessageContaining(announced.hex());
        assertBucketHoldsOnly();
    }

    @Test
    void a_put_of_another_length_than_expected_is_refused_and_leaves_nothing() throws Exception {
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(new byte[100]),
                PutOptions.DEFAULT.expectingSize(101)))
                .isInstanceOfSatisfying(SizeMismatchException.class, e -> {
                    assertThat(e.expectedSize()).isEqualTo(101);
                    assertThat(e.actualSize()).isEqualTo(100);
                });
        assertThatThrownBy(() -> store.put(TestContent.stream(PART_SIZE + 10, 5),
                PutOptions.DEFAULT.expectingSize(PART_SIZE)))
                .isInstanceOf(SizeMismatchException.class);
        assertThatThrownBy(() -> store.put(TestContent.stream(PART_SIZE + 10, 5),
                PutOptions.DEFAULT.expectingSize(PART_SIZE + 11).expectingSha256(TestContent.sha256(PART_SIZE + 10, 5))))
                .isInstanceOf(SizeMismatchException.class);
        assertBucketHoldsOnly();
    }

    @Test
    void a_caller_stream_that_fails_fails_the_put_with_its_own_exception_and_leaves_nothing() throws Exception {
        var failure = new IOException("the caller's disk went away");
        for (long failAt : new long[] {1000, 2 * PART_SIZE + 5}) {
            InputStream failing = new java.io.SequenceInputStream(TestContent.stream(failAt, 1), new InputStream() {
                @Override
                public int read() throws IOException {
                    throw failure;
                }
            });

            assertThatThrownBy(() -> store.put(failing, PutOptions.DEFAULT)).as("failing after %d bytes", failAt)
                    .isSameAs(failure);
        }
        assertBucketHoldsOnly();
    }

    @Test
    void concurrent_puts_of_the_same_bytes_store_one_object() throws Exception {
        byte[] small = TestContent.bytes(64 * 1024, 41);
        long large = PART_SIZE + PART_SIZE / 2;
        Sha256 largeSha256 = TestContent.sha256(large, 42);

        // Two multipart puts at a time (each holds about two parts in memory, and the heap may be small): one staged
        // and copied, one straight to the key it expects.
        List<ObjectKey> keys = concurrently(8, i -> switch (i) {
            case 0 -> store.put(TestContent.stream(large, 42), PutOptions.DEFAULT).key();
            case 4 -> store.put(TestContent.stream(large, 42), PutOptions.DEFAULT.expectingSha256(largeSha256)).key();
            default -> store.put(small).key();
        });

        assertThat(keys).containsOnly(ObjectKey.of(Sha256.of(small)), ObjectKey.of(largeSha256));
        assertBucketHoldsOnly(ObjectKey.of(Sha256.of(small)).name(), ObjectKey.of(largeSha256).name());
        try (InputStream in = store.get(ObjectKey.of(largeSha256))) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    // --- corruption ---

    @Test
    void an_object_corrupted_behind_the_store_fails_its_reader_naming_the_key_and_both_digests() throws Exception {
        byte[] bytes = TestContent.bytes(100_000, 51);
        ObjectKey key = store.put(bytes).key();
        byte[] tampered = bytes.clone();
        tampered[50_000] ^= 1;
        raw.overwrite(key.name(), tampered);

        try (InputStream in = store.get(key)) {
            assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream()))
                    .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                        assertThat(e.stage()).isEqualTo(DigestMismatchException.Stage.READ);
                        assertThat(e.objectName()).isEqualTo(key.name());
                        assertThat(e.expected()).isEqualTo(key.sha256());
                        assertThat(e.actual()).isEqualTo(Sha256.of(tampered));
                        assertThat(e.getMessage()).contains(key.name(), key.sha256().hex(),
                                Sha256.of(tampered).hex(), "corrupt");
                    });
            assertThatThrownBy(in::read).as("a corrupt stream stays failed").isInstanceOf(DigestMismatchException.class);
        }
    }

    @Test
    void a_truncated_object_is_detected_too_and_putting_the_bytes_again_repairs_it() throws Exception {
        byte[] bytes = TestContent.bytes(10_000, 52);
        ObjectKey key = store.put(bytes).key();
        raw.overwrite(key.name(), java.util.Arrays.copyOf(bytes, 9_999));

        try (InputStream in = store.get(key)) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(DigestMismatchException.class);
        }
        store.put(bytes);
        try (InputStream in = store.get(key)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    // --- stat, exists, delete, missing objects ---

    @Test
    void stat_reports_size_digest_and_content_type() throws Exception {
        byte[] bytes = TestContent.bytes(777, 61);

        ObjectKey key = store.put(new ByteArrayInputStream(bytes),
                PutOptions.DEFAULT.withContentType("application/x-tar")).key();

        assertThat(store.stat(key)).hasValueSatisfying(info -> {
            assertThat(info.key()).isEqualTo(key);
            assertThat(info.sha256()).isEqualTo(Sha256.of(bytes));
            assertThat(info.size()).isEqualTo(777);
            assertThat(info.contentType()).isEqualTo("application/x-tar");
        });
    }

    @Test
    void a_multipart_object_keeps_its_content_type() throws Exception {
        ObjectKey key = store.put(TestContent.stream(PART_SIZE + 1, 62),
                PutOptions.DEFAULT.withContentType("application/gzip")).key();

        assertThat(store.stat(key)).hasValueSatisfying(info -> assertThat(info.contentType())
                .isEqualTo("application/gzip"));
    }

    @Test
    void an_object_exists_after_put_and_not_after_delete_and_deleting_it_again_does_nothing() throws Exception {
        ObjectKey key = store.put(TestContent.bytes(100, 71)).key();
        assertThat(store.exists(key)).isTrue();

        store.delete(key);

        assertThat(store.exists(key)).isFalse();
        assertThat(store.stat(key)).isEmpty();
        store.delete(key);
        assertBucketHoldsOnly();
    }

    @Test
    void getting_a_missing_object_is_a_typed_error_naming_it() {
        ObjectKey missing = ObjectKey.of(Sha256.of(new byte[] {1, 2, 3}));

        assertThatThrownBy(() -> store.get(missing))
                .isInstanceOfSatisfying(ObjectNotFoundException.class, e -> {
                    assertThat(e.key()).contains(missing);
                    assertThat(e.bucket()).isEqualTo(store.bucket());
                    assertThat(e.getMessage()).contains(missing.name(), store.bucket());
                });
        assertThatThrownBy(() -> store.getRange(missing, 0, 10)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void a_bucket_that_does_not_exist_is_a_typed_error_and_creating_a_bucket_twice_is_harmless() throws Exception {
        try (ObjectStore elsewhere = newStore(store.bucket() + "-never-created")) {
            assertThatThrownBy(() -> elsewhere.put(new byte[] {1}))
                    .isInstanceOfSatisfying(BucketNotFoundException.class, e -> assertThat(e.bucket())
                            .isEqualTo(store.bucket() + "-never-created"));
        }
        List<Boolean> done = concurrently(4, i -> {
            store.createBucket();
            return true;
        });
        assertThat(done).containsOnly(true);
        store.createBucket();
    }

    // --- presigned URLs ---

    @Test
    void a_presigned_get_url_serves_the_object_to_plain_http_until_it_expires() throws Exception {
        byte[] bytes = TestContent.bytes(20_000, 81);
        ObjectKey key = store.put(bytes).key();

        PresignedUrl url = store.presignGet(key, Duration.ofSeconds(3));

        assertThat(url.method()).isEqualTo("GET");
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(url.uri()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> status(HttpRequest.newBuilder(url.uri()).GET().build()), code -> code == 403);
        assertThat(java.time.Instant.now()).isAfterOrEqualTo(url.expiresAt());
    }

    @Test
    void a_presigned_put_url_takes_plain_http_bytes_that_count_only_once_promoted() throws Exception {
        byte[] bytes = TestContent.bytes(300_000, 91);
        Sha256 sha256 = Sha256.of(bytes);
        PresignedUpload presigned = store.presignPut(sha256, Duration.ofMinutes(5));

        assertThat(presigned.url().method()).isEqualTo("PUT");
        assertThat(status(HttpRequest.newBuilder(presigned.url().uri())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build())).isEqualTo(200);
        assertThat(store.exists(ObjectKey.of(sha256))).as("uploaded bytes do not count before promotion").isFalse();

        // Promotion needs only the token, as another gateway instance would have it.
        ObjectInfo promoted = store.promote(PendingUpload.parse(presigned.upload().token()));

        assertThat(promoted.key()).isEqualTo(ObjectKey.of(sha256));
        assertThat(promoted.size()).isEqualTo(bytes.length);
        try (InputStream in = store.get(promoted.key())) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertBucketHoldsOnly(promoted.key().name());
        assertThatThrownBy(() -> store.promote(presigned.upload())).as("an upload is promoted once")
                .isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void promoting_an_upload_of_other_bytes_refuses_them_and_discards_them() throws Exception {
        Sha256 announced = Sha256.of(TestContent.bytes(1000, 101));
        byte[] other = TestContent.bytes(1000, 102);
        PresignedUpload presigned = store.presignPut(announced, Duration.ofMinutes(5));
        assertThat(status(HttpRequest.newBuilder(presigned.url().uri())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(other)).build())).isEqualTo(200);

        assertThatThrownBy(() -> store.promote(presigned.upload()))
                .isInstanceOfSatisfying(DigestMismatchException.class, e -> {
                    assertThat(e.stage()).isEqualTo(DigestMismatchException.Stage.PROMOTE);
                    assertThat(e.expected()).isEqualTo(announced);
                    assertThat(e.actual()).isEqualTo(Sha256.of(other));
                });
        assertBucketHoldsOnly();
        assertThat(store.exists(ObjectKey.of(announced))).isFalse();
    }

    @Test
    void promoting_an_upload_that_never_arrived_is_a_typed_error() throws Exception {
        PresignedUpload presigned = store.presignPut(Sha256.of(new byte[] {9}), Duration.ofMinutes(1));

        assertThatThrownBy(() -> store.promote(presigned.upload()))
                .isInstanceOfSatisfying(ObjectNotFoundException.class, e -> assertThat(e.objectName())
                        .contains(presigned.upload().token()));
    }

    @Test
    void uploads_whose_bytes_arrived_are_listed_by_digest_until_promoted() throws Exception {
        byte[] bytes = TestContent.bytes(2000, 103);
        Sha256 sha256 = Sha256.of(bytes);
        PresignedUpload first = store.presignPut(sha256, Duration.ofMinutes(5));
        PresignedUpload second = store.presignPut(sha256, Duration.ofMinutes(5));
        PresignedUpload otherDigest = store.presignPut(Sha256.of(new byte[] {1}), Duration.ofMinutes(5));
        assertThat(store.pendingUploads(sha256)).as("presigning stores nothing").isEmpty();

        for (var upload : List.of(first, second)) {
            assertThat(status(HttpRequest.newBuilder(upload.url().uri())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build())).isEqualTo(200);
        }
        assertThat(status(HttpRequest.newBuilder(otherDigest.url().uri())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1})).build())).isEqualTo(200);

        assertThat(store.pendingUploads(sha256)).containsExactlyInAnyOrder(first.upload(), second.upload());
        store.promote(store.pendingUploads(sha256).get(0));
        assertThat(store.pendingUploads(sha256)).hasSize(1);
        assertThat(store.exists(ObjectKey.of(sha256))).isTrue();
    }

    @Test
    void a_record_is_written_read_back_replaced_and_absent_when_never_written() throws Exception {
        var name = RecordName.of("results/j-1%2F/replicas/0-1.json");
        assertThat(store.getRecord(name)).isEmpty();

        store.putRecord(name, "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(store.getRecord(name)).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("{\"a\":1}"));
        store.putRecord(name, new byte[0]);
        assertThat(store.getRecord(name)).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(raw.objectNames()).contains("records/results/j-1%2F/replicas/0-1.json");

        assertThatThrownBy(() -> store.putRecord(name, new byte[RecordName.MAX_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> RecordName.of("a/../b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordName.of("a//b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordName.of("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_presigned_url_expiry_outside_the_configured_bounds_is_refused() {
        ObjectKey key = ObjectKey.of(Sha256.of(new byte[0]));

        assertThatThrownBy(() -> store.presignGet(key, Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expiry");
        assertThatThrownBy(() -> store.presignPut(key.sha256(), Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expiry");
        assertThatThrownBy(() -> store.presignGet(key, Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // --- bad input ---

    @Test
    void missing_arguments_are_refused_by_name() {
        assertThatThrownBy(() -> store.put(null, PutOptions.DEFAULT)).isInstanceOf(NullPointerException.class)
                .hasMessage("content");
        assertThatThrownBy(() -> store.put(InputStream.nullInputStream(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("options");
        assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> store.stat(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> store.presignGet(null, Duration.ofMinutes(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("key");
        assertThatThrownBy(() -> store.presignPut(null, Duration.ofMinutes(1)))
                .isInstanceOf(NullPointerException.class).hasMessage("expected");
        assertThatThrownBy(() -> store.promote(null)).isInstanceOf(NullPointerException.class).hasMessage("upload");
    }

    @Test
    void malformed_digests_names_and_negative_sizes_are_refused_saying_what_is_wrong() {
        assertThatThrownBy(() -> Sha256.parse("abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits, not 3");
        assertThatThrownBy(() -> Sha256.parse("z".repeat(64))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'z' at index 0");
        assertThatThrownBy(() -> ObjectKey.parse("md5/abc")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256/");
        assertThatThrownBy(() -> PendingUpload.parse("not-a-token")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PutOptions.DEFAULT.expectingSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        ObjectKey key = ObjectKey.of(Sha256.of(new byte[0]));
        assertThatThrownBy(() -> store.getRange(key, -1, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset must not be negative");
        assertThatThrownBy(() -> store.getRange(key, 0, -10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length must be positive");
        assertThatThrownBy(() -> PutOptions.DEFAULT.withContentType("text/plain\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media type");
    }

    // --- helpers ---

    /** The bucket, seen behind the store, holds these objects and no staging object or unfinished upload. */
    protected void assertBucketHoldsOnly(String... objectNames) throws Exception {
        assertThat(raw.objectNames()).as("objects in the bucket").containsExactlyInAnyOrder(objectNames);
        assertThat(raw.unfinishedUploads()).as("unfinished multipart uploads").isEmpty();
    }

    private static int status(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @FunctionalInterface
    protected interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code count} tasks at once (released together) and returns their results in order. */
    protected static <T> List<T> concurrently(int count, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            var start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<T> call = () -> {
                    start.await();
                    return task.run(index);
                };
                futures.add(pool.submit(call));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
