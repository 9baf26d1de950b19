package io.gridledger.storage.minio;

import io.gridledger.storage.BucketNotFoundException;
import io.gridledger.storage.DigestMismatchException;
import io.gridledger.storage.DigestingInputStream;
import io.gridledger.storage.ObjectInfo;
import io.gridledger.storage.ObjectKey;
import io.gridledger.storage.ObjectNotFoundException;
import io.gridledger.storage.ObjectStore;
import io.gridledger.storage.PendingUpload;
import io.gridledger.storage.PresignedUpload;
import io.gridledger.storage.PresignedUrl;
import io.gridledger.storage.PutOptions;
import io.gridledger.storage.RecordName;
import io.gridledger.storage.Sha256;
import io.gridledger.storage.SizeMismatchException;
import io.gridledger.storage.StorageAccessDeniedException;
import io.gridledger.storage.StorageException;
import io.gridledger.storage.StorageRequestException;
import io.gridledger.storage.StorageUnavailableException;
import io.gridledger.storage.VerifyingInputStream;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.Directive;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.Http;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ObjectStore} over the MinIO Java SDK: MinIO in a real deployment, any S3-compatible server (the embedded
 * s3proxy) in the local stack and tests. No MinIO type crosses this class's public surface.
 *
 * <h2>How a put stays content-addressed</h2>
 *
 * The key is the SHA-256 of the bytes, which is known only once they have all been read, and S3 needs the name before
 * the bytes. So {@link #put}:
 *
 * <ol>
 *   <li>reads up to one part ({@link MinioStoreConfig#partSize()}) while digesting it. If the stream ends there (the
 *       common small object), the key is known: the bytes are checked against what the caller expected and PUT once,
 *       straight to {@code sha256/<hex>} (writing identical bytes over identical bytes is harmless, and heals a
 *       corrupted copy).
 *   <li>otherwise, if the caller expected a SHA-256, uploads the stream in parts straight to that key, one part in
 *       memory at a time, digesting it; the stream checks the digest (and the expected size) where it ends, and
 *       throws instead of ending if they miss, which makes the SDK abort the multipart upload instead of completing
 *       it: refused bytes never become visible.
 *   <li>otherwise streams the object in parts to a staging name {@code incoming/put/<uuid>} while digesting it;
 *       checks it; then copies it server-side to its key (conditional on the staged ETag) and removes the staging
 *       object. A mismatch, or any failure, removes the staging object (the SDK aborts an unfinished multipart
 *       upload), so nothing is left behind. Only a crash leaves something: a staging object or an unfinished upload,
 *       which the README's lifecycle rules expire.
 * </ol>
 *
 * <h2>Presigned uploads</h2>
 *
 * A presigned PUT URL points at {@code incoming/presigned/<hex>/<upload id>}; {@link #promote} reads that object
 * back, digests it and, if it matches, copies exactly the version it read (a copy conditional on its ETag, so an
 * uploader who overwrites it after the check gains nothing) to its key.
 *
 * <p>Instances are thread-safe; share one per bucket. {@link #close()} releases the HTTP connection pool.
 */
public final class MinioObjectStore implements ObjectStore {

    private static final Logger LOG = LoggerFactory.getLogger(MinioObjectStore.class);

    /** Where bytes wait before they count: puts in progress and presigned uploads not yet promoted. */
    public static final String STAGING_PREFIX = "incoming/";
    static final String PUT_STAGING = STAGING_PREFIX + "put/";
    static final String PRESIGNED_STAGING = STAGING_PREFIX + "presigned/";

    private static final long CONNECT_TIMEOUT = Duration.ofSeconds(10).toMillis();
    private static final long IO_TIMEOUT = Duration.ofMinutes(5).toMillis();

    private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject", "NoSuchVersion");
    private static final Set<String> DENIED = Set.of("AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch",
            "InvalidToken", "ExpiredToken", "AuthorizationHeaderMalformed", "AllAccessDisabled",
            "RequestTimeTooSkewed", "InvalidSecurity");
    private static final Set<String> TRANSIENT = Set.of("SlowDown", "ServiceUnavailable", "InternalError",
            "RequestTimeout", "XMinioServerNotInitialized", "XMinioStorageFull");

    // The most a Java array holds: with parts larger than this, a stream that long goes up in parts.
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final MinioStoreConfig config;
    private final MinioClient client;

    public MinioObjectStore(MinioStoreConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.client = MinioClient.builder()
                .endpoint(config.endpoint().toString())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .httpClient(httpClient(), true)
                .build();
    }

    /**
     * The SDK's default client, but trusting the JVM's trust store only: the SDK's own default re-reads every
     * certificate under {@code SSL_CERT_DIR} for each client it builds (0.8 s per store on a Debian machine). A
     * private CA goes into the JVM's trust store ({@code javax.net.ssl.trustStore}).
     */
    private static OkHttpClient httpClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT, TimeUnit.MILLISECONDS)
                .readTimeout(IO_TIMEOUT, TimeUnit.MILLISECONDS)
                .writeTimeout(IO_TIMEOUT, TimeUnit.MILLISECONDS)
                .protocols(List.of(Protocol.HTTP_1_1))
                .addInterceptor(new Http.StatusRetryInterceptor())
                .build();
    }

    public MinioStoreConfig config() {
        return config;
    }

    @Override
    public String bucket() {
        return config.bucket();
    }

    @Override
    public void createBucket() throws StorageException {
        if (sdk("create bucket", null, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build()))) {
            return;
        }
        try {
            sdk("create bucket", null, () -> {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket()).build());
                return null;
            });
            LOG.info("created bucket {} at {}", bucket(), config.endpoint());
        } catch (StorageRequestException e) {
            // Another instance created it between our check and our request.
            if (!e.errorCode().equals("BucketAlreadyOwnedByYou") && !e.errorCode().equals("BucketAlreadyExists")) {
                throw e;
            }
        }
    }

    @Override
    public ObjectInfo put(InputStream content, PutOptions options) throws IOException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(options, "options");
        var source = new CallerStream(content);
        var digesting = new DigestingInputStream(source);
        // One byte more than a part tells a stream that fits in one request from one that needs parts. A failure of
        // the caller's stream here propagates as it is: nothing was sent yet.
        Head head = Head.read(digesting, Math.min(config.partSize(), MAX_ARRAY) + 1);
        if (head.ended()) {
            return putWhole(head.toArray(), digesting, options);
        }
        return putInParts(head, digesting, source, options);
    }

    private ObjectInfo putWhole(byte[] bytes, DigestingInputStream digesting, PutOptions options)
            throws StorageException {
        Sha256 sha256 = digesting.sha256();
        checkExpectations(options, sha256, bytes.length, null);
        ObjectKey key = ObjectKey.of(sha256);
        sdk("put", key.name(), () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket())
                .object(key.name())
                .data(bytes, bytes.length)
                .contentType(options.contentType())
                .build()));
        LOG.debug("stored {} ({} bytes) in one request", key, bytes.length);
        return new ObjectInfo(key, bytes.length, options.contentType(), Instant.now());
    }

    private ObjectInfo putInParts(Head head, DigestingInputStream digesting, CallerStream source,
            PutOptions options) throws IOException {
        if (options.expectedSha256().isPresent()) {
            return putInPartsToKnownKey(head, digesting, source, options);
        }
        String staging = PUT_STAGING + UUID.randomUUID();
        String etag = multipartUpload(staging, head.followedBy(digesting), source, options);
        Sha256 sha256 = digesting.sha256();
        long size = digesting.byteCount();
        try {
            checkExpectations(options, sha256, size, staging);
            ObjectKey key = ObjectKey.of(sha256);
            copy(staging, etag, size, options.contentType(), key);
            LOG.debug("stored {} ({} bytes) in parts through {}", key, size, staging);
            return new ObjectInfo(key, size, options.contentType(), Instant.now());
        } finally {
            removeQuietly(staging);
        }
    }

    /**
     * The key is known before the bytes: upload in parts straight to it, and let the check at the end of the stream
     * decide whether the upload completes. The SDK completes a multipart upload only after the stream has ended, and
     * a stream that throws instead of ending makes it abort the upload, so refused bytes never become visible and no
     * staging copy is needed.
     */
    private ObjectInfo putInPartsToKnownKey(Head head, DigestingInputStream digesting, CallerStream source,
            PutOptions options) throws IOException {
        ObjectKey key = ObjectKey.of(options.expectedSha256().orElseThrow());
        var checked = new CheckedAtEnd(head.followedBy(digesting), digesting, options);
        try {
            multipartUpload(key.name(), checked, source, options);
        } catch (IOException e) {
            checked.failIfRefused();
            throw e;
        }
        checked.failIfRefused();
        LOG.debug("stored {} ({} bytes) in parts", key, digesting.byteCount());
        return new ObjectInfo(key, digesting.byteCount(), options.contentType(), Instant.now());
    }

    /** Uploads a stream of unknown length in parts; returns the object's ETag. */
    private String multipartUpload(String name, InputStream stream, CallerStream source, PutOptions options)
            throws IOException {
        try {
            return sdk("put (multipart upload)", name, () -> client.putObject(PutObjectArgs.builder()
                    .bucket(bucket())
                    .object(name)
                    .stream(stream, -1L, config.partSize())
                    .contentType(options.contentType())
                    .build())).etag();
        } catch (StorageException e) {
            // The SDK reports a failure of the caller's stream as its own: give the caller back its exception.
            source.failIfFailed();
            throw e;
        }
    }

    /** Checks the expected digest and size where the stream ends, and throws there instead of ending if they miss. */
    private final class CheckedAtEnd extends java.io.FilterInputStream {

        private final DigestingInputStream digesting;
        private final PutOptions options;
        private StorageException refusal;

        CheckedAtEnd(InputStream in, DigestingInputStream digesting, PutOptions options) {
            super(in);
            this.digesting = digesting;
            this.options = options;
        }

        @Override
        public int read() throws IOException {
            return readOneByte(this);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (refusal != null) {
                throw refusal;
            }
            int n = in.read(buffer, offset, length);
            if (n < 0 && digesting.endReached()) {
                try {
                    checkExpectations(options, digesting.sha256(), digesting.byteCount(), null);
                } catch (StorageException e) {
                    refusal = e;
                    throw e;
                }
            }
            return n;
        }

        void failIfRefused() throws StorageException {
            if (refusal != null) {
                throw refusal;
            }
        }
    }

    private void checkExpectations(PutOptions options, Sha256 actual, long size, String staging)
            throws StorageException {
        if (options.expectedSize().isPresent() && options.expectedSize().getAsLong() != size) {
            throw new SizeMismatchException(bucket(), options.expectedSize().getAsLong(), size);
        }
        Optional<Sha256> expected = options.expectedSha256();
        if (expected.isPresent() && !expected.get().equals(actual)) {
            LOG.debug("refused a put to bucket {}: expected SHA-256 {} but the bytes hash to {}{}", bucket(),
                    expected.get(), actual, staging == null ? "" : " (staged as " + staging + ")");
            throw new DigestMismatchException(bucket(), ObjectKey.of(expected.get()).name(), expected.get(), actual,
                    DigestMismatchException.Stage.PUT);
        }
    }

    @Override
    public InputStream get(ObjectKey key) throws StorageException {
        Objects.requireNonNull(key, "key");
        return new VerifyingInputStream(open(key.name(), null, null, null), bucket(), key);
    }

    @Override
    public InputStream getRange(ObjectKey key, long offset, long length) throws StorageException {
        Objects.requireNonNull(key, "key");
        if (offset < 0) {
            throw new IllegalArgumentException("a range's offset must not be negative: " + offset);
        }
        if (length <= 0) {
            throw new IllegalArgumentException("a range's length must be positive: " + length);
        }
        return open(key.name(), offset, length, null);
    }

    private GetObjectResponse open(String name, Long offset, Long length, String matchETag)
            throws StorageException {
        return sdk("get", name, () -> client.getObject(GetObjectArgs.builder()
                .bucket(bucket())
                .object(name)
                .offset(offset)
                .length(length)
                .matchETag(matchETag)
                .build()));
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectKey key) throws StorageException {
        Objects.requireNonNull(key, "key");
        return statObject(key.name()).map(response -> new ObjectInfo(key, response.size(),
                Objects.requireNonNullElse(response.contentType(), PutOptions.OCTET_STREAM),
                response.lastModified() == null ? Instant.EPOCH : response.lastModified().toInstant()));
    }

    private Optional<StatObjectResponse> statObject(String name) throws StorageException {
        try {
            return Optional.of(sdk("stat", name, () -> client.statObject(StatObjectArgs.builder()
                    .bucket(bucket())
                    .object(name)
                    .build())));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(ObjectKey key) throws StorageException {
        return stat(key).isPresent();
    }

    @Override
    public void delete(ObjectKey key) throws StorageException {
        Objects.requireNonNull(key, "key");
        remove(key.name());
    }

    private void remove(String name) throws StorageException {
        sdk("delete", name, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(name).build());
            return null;
        });
    }

    private void removeQuietly(String name) {
        try {
            remove(name);
        } catch (StorageException e) {
            LOG.warn("could not remove the staging object {} from bucket {}; the bucket's lifecycle rule on {} "
                    + "will: {}", name, bucket(), STAGING_PREFIX, e.getMessage());
        }
    }

    @Override
    public PresignedUrl presignGet(ObjectKey key, Duration expiry) throws StorageException {
        Objects.requireNonNull(key, "key");
        return presign(Http.Method.GET, key.name(), config.checkPresignExpiry(expiry));
    }

    @Override
    public PresignedUpload presignPut(Sha256 expected, Duration expiry) throws StorageException {
        Objects.requireNonNull(expected, "expected");
        config.checkPresignExpiry(expiry);
        var upload = new PendingUpload(ObjectKey.of(expected), UUID.randomUUID().toString());
        return new PresignedUpload(upload, presign(Http.Method.PUT, stagingName(upload), expiry));
    }

    private PresignedUrl presign(Http.Method method, String name, Duration expiry) throws StorageException {
        // SigV4 dates are whole seconds: the URL expires `expiry` after the signing second began.
        Instant signedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String url = sdk("presign " + method, name, () -> client.getPresignedObjectUrl(
                GetPresignedObjectUrlArgs.builder()
                        .method(method)
                        .bucket(bucket())
                        .object(name)
                        .expiry((int) expiry.toSeconds())
                        .build()));
        return new PresignedUrl(method.name(), URI.create(url), signedAt.plusSeconds(expiry.toSeconds()));
    }

    static String stagingName(PendingUpload upload) {
        return PRESIGNED_STAGING + upload.token();
    }

    @Override
    public ObjectInfo promote(PendingUpload upload) throws StorageException {
        Objects.requireNonNull(upload, "upload");
        String staging = stagingName(upload);
        StatObjectResponse uploaded = statObject(staging).orElseThrow(() -> new ObjectNotFoundException(bucket(),
                staging));
        Sha256 actual;
        long size;
        try (var digesting = new DigestingInputStream(open(staging, null, null, uploaded.etag()))) {
            digesting.transferTo(OutputStream.nullOutputStream());
            actual = digesting.sha256();
            size = digesting.byteCount();
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageUnavailableException(bucket(), config.endpoint(), "promote (reading " + staging + ")",
                    e.toString(), e);
        }
        Sha256 expected = upload.target().sha256();
        if (!actual.equals(expected)) {
            removeQuietly(staging);
            LOG.debug("refused the upload {} in bucket {}: expected SHA-256 {} but the bytes hash to {}", staging,
                    bucket(), expected, actual);
            throw new DigestMismatchException(bucket(), staging, expected, actual,
                    DigestMismatchException.Stage.PROMOTE);
        }
        String contentType = Objects.requireNonNullElse(uploaded.contentType(), PutOptions.OCTET_STREAM);
        try {
            copy(staging, uploaded.etag(), size, contentType, upload.target());
        } finally {
            removeQuietly(staging);
        }
        LOG.debug("promoted {} ({} bytes) to {}", staging, size, upload.target());
        return new ObjectInfo(upload.target(), size, contentType, Instant.now());
    }

    @Override
    public List<PendingUpload> pendingUploads(Sha256 expected) throws StorageException {
        Objects.requireNonNull(expected, "expected");
        String prefix = PRESIGNED_STAGING + expected.hex() + "/";
        var uploads = new ArrayList<PendingUpload>();
        for (var result : client.listObjects(ListObjectsArgs.builder().bucket(bucket()).prefix(prefix).recursive(true)
                .build())) {
            var item = sdk("list", prefix, result::get);
            String uploadId = item.objectName().substring(prefix.length());
            try {
                uploads.add(new PendingUpload(ObjectKey.of(expected), uploadId));
            } catch (IllegalArgumentException e) {
                LOG.debug("ignoring {} under {}: not a presigned upload's name", item.objectName(), prefix);
            }
        }
        return uploads;
    }

    @Override
    public void putRecord(RecordName name, byte[] bytes) throws StorageException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > RecordName.MAX_BYTES) {
            throw new IllegalArgumentException("a record is at most " + RecordName.MAX_BYTES + " bytes; " + name
                    + " would be " + bytes.length);
        }
        sdk("put record", name.name(), () -> client.putObject(PutObjectArgs.builder()
                .bucket(bucket())
                .object(name.name())
                .data(bytes, bytes.length)
                .contentType("application/json")
                .build()));
    }

    @Override
    public Optional<byte[]> getRecord(RecordName name) throws StorageException {
        Objects.requireNonNull(name, "name");
        try (InputStream in = open(name.name(), null, null, null)) {
            byte[] bytes = in.readNBytes(RecordName.MAX_BYTES + 1);
            if (bytes.length > RecordName.MAX_BYTES) {
                throw new StorageRequestException(bucket(), "get record " + name.name(), 0, "RecordTooLarge",
                        "the object is larger than a record may be (" + RecordName.MAX_BYTES + " bytes)", null);
            }
            return Optional.of(bytes);
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageUnavailableException(bucket(), config.endpoint(), "get record " + name.name(),
                    e.toString(), e);
        }
    }

    /** A server-side copy of exactly the staged version, the one with that ETag, to the object's key. */
    private void copy(String staging, String etag, long size, String contentType, ObjectKey key)
            throws StorageException {
        var source = SourceObject.builder().bucket(bucket()).object(staging).matchETag(etag);
        // Named by its source: only the staging object can be missing (or changed: 412 PreconditionFailed).
        sdk("copy to " + key.name() + " from", staging, () -> client.copyObject(CopyObjectArgs.builder()
                .bucket(bucket())
                .object(key.name())
                .source(new SourceObject(source.build(), size, etag))
                .metadataDirective(Directive.REPLACE)
                .headers(Map.of("Content-Type", contentType))
                .build()));
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            LOG.debug("closing the MinIO client of bucket {} failed", bucket(), e);
        }
    }

    @Override
    public String toString() {
        return "MinioObjectStore[" + config.endpoint() + ", bucket " + bucket() + "]";
    }

    /** {@link InputStream#read()} through {@code read(byte[], int, int)}, for streams whose logic lives there. */
    private static int readOneByte(InputStream stream) throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = stream.read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    /** One call into the SDK. */
    @FunctionalInterface
    private interface SdkCall<T> {
        T call() throws MinioException;
    }

    /**
     * Makes an SDK call, naming its failure by what it means to a caller. The SDK throws {@link MinioException}s, but
     * reports a failure below HTTP (connection refused, reset, timeout) as an {@link IllegalStateException} around
     * the {@link IOException}.
     */
    private <T> T sdk(String operation, String name, SdkCall<T> call) throws StorageException {
        try {
            return call.call();
        } catch (MinioException e) {
            throw translate(e, operation, name);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof IOException io) {
                throw new StorageUnavailableException(bucket(), config.endpoint(),
                        name == null ? operation : operation + " " + name, io.toString(), e);
            }
            throw e;
        }
    }

    /** Names an SDK failure by what it means to a caller. */
    private StorageException translate(MinioException e, String operation, String name) {
        String what = name == null ? operation : operation + " " + name;
        if (e instanceof ErrorResponseException response) {
            String code = response.errorResponse().code();
            int status = response.response() == null ? 0 : response.response().code();
            if (NOT_FOUND.contains(code) && name != null) {
                return new ObjectNotFoundException(bucket(), name);
            }
            if (code.equals("NoSuchBucket")) {
                return new BucketNotFoundException(bucket());
            }
            if (DENIED.contains(code)) {
                return new StorageAccessDeniedException(bucket(), what, code, response.errorResponse().message());
            }
            if (TRANSIENT.contains(code) || status >= 500) {
                return new StorageUnavailableException(bucket(), config.endpoint(), what, "HTTP " + status + " " + code,
                        e);
            }
            return new StorageRequestException(bucket(), what, status, code, response.errorResponse().message(), e);
        }
        if (e instanceof ServerException server) {
            return new StorageUnavailableException(bucket(), config.endpoint(), what, "HTTP " + server.statusCode(),
                    e);
        }
        if (e instanceof InvalidResponseException) {
            return new StorageRequestException(bucket(), what, 0, "InvalidResponse", e.getMessage(), e);
        }
        Throwable cause = e.getCause();
        if (cause instanceof IOException) {
            return new StorageUnavailableException(bucket(), config.endpoint(), what, cause.toString(), e);
        }
        return new StorageRequestException(bucket(), what, 0, e.getClass().getSimpleName(), e.getMessage(), e);
    }

    /**
     * The caller's stream, remembering whether it failed: the SDK wraps every read failure alike, and a failure of
     * the caller's own stream must reach the caller unchanged, not as a storage failure.
     */
    private static final class CallerStream extends java.io.FilterInputStream {

        private IOException failure;

        CallerStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void close() {
            // The caller owns its stream.
        }

        void failIfFailed() throws IOException {
            if (failure != null) {
                throw failure;
            }
        }
    }

    /**
     * The start of a put's stream, up to one byte more than a part, read in chunks: no array of a part's size is
     * allocated unless the whole stream fits in one part, and the chunks are released as the upload consumes them.
     */
    private static final class Head {

        private static final int FIRST_CHUNK = 8 * 1024;
        private static final int LARGEST_CHUNK = 1024 * 1024;

        private final List<byte[]> chunks = new ArrayList<>();
        private long size;
        private boolean ended;

        static Head read(InputStream in, long limit) throws IOException {
            var head = new Head();
            int chunkSize = FIRST_CHUNK;
            while (head.size < limit) {
                byte[] chunk = new byte[(int) Math.min(chunkSize, limit - head.size)];
                int n = in.readNBytes(chunk, 0, chunk.length);
                head.size += n;
                if (n < chunk.length) {
                    // readNBytes stops short only at the end of the stream.
                    head.chunks.add(Arrays.copyOf(chunk, n));
                    head.ended = true;
                    break;
                }
                head.chunks.add(chunk);
                chunkSize = Math.min(chunkSize * 2, LARGEST_CHUNK);
            }
            return head;
        }

        boolean ended() {
            return ended;
        }

        /** The whole stream, when it {@linkplain #ended() ended} within the head. */
        byte[] toArray() {
            byte[] all = new byte[Math.toIntExact(size)];
            int position = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, position, chunk.length);
                position += chunk.length;
            }
            return all;
        }

        /** The head's bytes, then the rest of the stream; each chunk is dropped once read. */
        InputStream followedBy(InputStream rest) {
            return new InputStream() {
                private int index;
                private int position;

                @Override
                public int read() throws IOException {
                    return readOneByte(this);
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    Objects.checkFromIndexSize(offset, length, buffer.length);
                    if (length == 0) {
                        return 0;
                    }
                    while (index < chunks.size()) {
                        byte[] chunk = chunks.get(index);
                        if (position < chunk.length) {
                            int n = Math.min(length, chunk.length - position);
                            System.arraycopy(chunk, position, buffer, offset, n);
                            position += n;
                            return n;
                        }
                        chunks.set(index++, null);
                        position = 0;
                    }
                    return rest.read(buffer, offset, length);
                }
            };
        }
    }
}
