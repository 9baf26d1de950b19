package io.gridledger.storage.minio;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how {@link MinioObjectStore} stores objects: a MinIO (or other S3-compatible) endpoint, its region and
 * credentials, the one bucket this store uses, the size of the parts large objects are uploaded in, and the bounds a
 * presigned URL's expiry must stay within.
 *
 * <pre>{@code
 * var config = MinioStoreConfig.of(URI.create("https://minio.org1.example:9000"), accessKey, secretKey, "gridledger")
 *         .withPartSize(32 * MinioStoreConfig.MIB)
 *         .withPresignExpiryBounds(Duration.ofSeconds(30), Duration.ofHours(12));
 * }</pre>
 *
 * <p>{@link #toString()} leaves the secret key out, so a config can be logged.
 *
 * @param endpoint          the server's base URL: {@code http} or {@code https}, host, optional port, no path
 * @param region            the region requests are signed for ({@code us-east-1} unless the server says otherwise);
 *                          fixing it saves the SDK a location lookup before the first request
 * @param accessKey         the access key (user) the store signs with
 * @param secretKey         its secret key
 * @param bucket            the bucket every object goes to (S3 naming rules: 3 to 63 of a-z, 0-9, '.', '-')
 * @param partSize          bytes per part of a multipart upload, 5 MiB to 5 GiB: a put holds about one part in memory,
 *                          and an object can have at most 10,000 parts (16 MiB parts: objects up to 156 GiB)
 * @param minPresignExpiry  the shortest expiry a presigned URL may get (at least one second)
 * @param maxPresignExpiry  the longest (at most seven days, S3's limit for SigV4 presigned URLs)
 */
public record MinioStoreConfig(URI endpoint, String region, String accessKey, String secretKey, String bucket,
        long partSize, Duration minPresignExpiry, Duration maxPresignExpiry) {

    public static final long MIB = 1024L * 1024L;
    /** S3's smallest part (all parts but the last must be at least this large). */
    public static final long MIN_PART_SIZE = 5 * MIB;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5 * 1024 * MIB;
    public static final long DEFAULT_PART_SIZE = 16 * MIB;
    public static final String DEFAULT_REGION = "us-east-1";
    public static final Duration DEFAULT_MIN_PRESIGN_EXPIRY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_PRESIGN_EXPIRY = Duration.ofHours(24);
    /** The longest expiry SigV4 allows. */
    public static final Duration S3_MAX_PRESIGN_EXPIRY = Duration.ofDays(7);

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

    public MinioStoreConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(minPresignExpiry, "minPresignExpiry");
        Objects.requireNonNull(maxPresignExpiry, "maxPresignExpiry");
        String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || endpoint.getHost() == null) {
            throw new IllegalArgumentException("the endpoint is an http or https URL with a host, such as "
                    + "https://minio.example:9000: \"" + endpoint + "\"");
        }
        if (endpoint.getRawPath() != null && !endpoint.getRawPath().isEmpty() && !endpoint.getRawPath().equals("/")
                || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                || endpoint.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the endpoint has no path, query or user info (the bucket is a "
                    + "setting of its own): \"" + endpoint + "\"");
        }
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("a region is lowercase letters, digits and '-', such as us-east-1: \""
                    + region + "\"");
        }
        if (accessKey.isBlank()) {
            throw new IllegalArgumentException("the access key must not be blank");
        }
        if (secretKey.isEmpty()) {
            throw new IllegalArgumentException("the secret key must not be empty");
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw new IllegalArgumentException("a bucket name is 3 to 63 lowercase letters, digits, '.' or '-', "
                    + "starting and ending with a letter or digit: \"" + bucket + "\"");
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("the part size must be between 5 MiB and 5 GiB (S3's limits), not "
                    + partSize + " bytes");
        }
        if (minPresignExpiry.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the shortest presign expiry is at least one second, not "
                    + minPresignExpiry);
        }
        if (maxPresignExpiry.compareTo(S3_MAX_PRESIGN_EXPIRY) > 0) {
            throw new IllegalArgumentException("the longest presign expiry is at most seven days (SigV4's limit), not "
                    + maxPresignExpiry);
        }
        if (minPresignExpiry.compareTo(maxPresignExpiry) > 0) {
            throw new IllegalArgumentException("the shortest presign expiry (" + minPresignExpiry
                    + ") is longer than the longest (" + maxPresignExpiry + ")");
        }
    }

    /** A config with the default region, part size and presign bounds. */
    public static MinioStoreConfig of(URI endpoint, String accessKey, String secretKey, String bucket) {
        return new MinioStoreConfig(endpoint, DEFAULT_REGION, accessKey, secretKey, bucket, DEFAULT_PART_SIZE,
                DEFAULT_MIN_PRESIGN_EXPIRY, DEFAULT_MAX_PRESIGN_EXPIRY);
    }

    public MinioStoreConfig withRegion(String region) {
        return new MinioStoreConfig(endpoint, region, accessKey, secretKey, bucket, partSize, minPresignExpiry,
                maxPresignExpiry);
    }

    public MinioStoreConfig withBucket(String bucket) {
        return new MinioStoreConfig(endpoint, region, accessKey, secretKey, bucket, partSize, minPresignExpiry,
                maxPresignExpiry);
    }

    public MinioStoreConfig withPartSize(long partSize) {
        return new MinioStoreConfig(endpoint, region, accessKey, secretKey, bucket, partSize, minPresignExpiry,
                maxPresignExpiry);
    }

    public MinioStoreConfig withPresignExpiryBounds(Duration min, Duration max) {
        return new MinioStoreConfig(endpoint, region, accessKey, secretKey, bucket, partSize, min, max);
    }

    /** Checks that {@code expiry} is within the bounds, for a presigned URL. */
    public Duration checkPresignExpiry(Duration expiry) {
        Objects.requireNonNull(expiry, "expiry");
        if (expiry.compareTo(minPresignExpiry) < 0 || expiry.compareTo(maxPresignExpiry) > 0) {
            throw new IllegalArgumentException("a presigned URL's expiry must be between " + minPresignExpiry
                    + " and " + maxPresignExpiry + ", not " + expiry);
        }
        return expiry;
    }

    @Override
    public String toString() {
        return "MinioStoreConfig[endpoint=" + endpoint + ", region=" + region + ", accessKey=" + accessKey
                + ", secretKey=(hidden), bucket=" + bucket + ", partSize=" + partSize + ", minPresignExpiry="
                + minPresignExpiry + ", maxPresignExpiry=" + maxPresignExpiry + "]";
    }
}
