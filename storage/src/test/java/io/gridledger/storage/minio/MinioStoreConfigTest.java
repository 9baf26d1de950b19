package io.gridledger.storage.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MinioStoreConfigTest {

    private static final MinioStoreConfig CONFIG =
            MinioStoreConfig.of(URI.create("https://minio.org1.example:9000"), "gridledger", "s3cr3t", "jobs");

    @Test
    void defaults_to_us_east_1_16_mib_parts_and_presigned_urls_of_one_second_to_a_day() {
        assertThat(CONFIG.region()).isEqualTo("us-east-1");
        assertThat(CONFIG.partSize()).isEqualTo(16L * 1024 * 1024);
        assertThat(CONFIG.minPresignExpiry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(CONFIG.maxPresignExpiry()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void its_string_form_hides_the_secret_key() {
        assertThat(CONFIG.toString()).doesNotContain("s3cr3t").contains("gridledger", "jobs", "minio.org1.example");
    }

    @Test
    void refuses_endpoints_that_are_not_a_bare_http_or_https_url() {
        for (String endpoint : new String[] {"ftp://host", "minio:9000", "http://host/bucket", "http://host?x=1",
                "http://user:pw@host"}) {
            assertThatThrownBy(() -> MinioStoreConfig.of(URI.create(endpoint), "a", "b", "jobs"))
                    .as(endpoint).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint");
        }
        assertThat(MinioStoreConfig.of(URI.create("http://127.0.0.1:9000/"), "a", "b", "jobs").endpoint())
                .hasPort(9000);
    }

    @Test
    void refuses_bucket_names_s3_would_refuse() {
        for (String bucket : new String[] {"ab", "Jobs", "jobs_1", "-jobs", "jobs-", "a".repeat(64), "jo..bs"}) {
            assertThatThrownBy(() -> CONFIG.withBucket(bucket)).as(bucket)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket name");
        }
        assertThat(CONFIG.withBucket("gridledger.org1-jobs").bucket()).isEqualTo("gridledger.org1-jobs");
    }

    @Test
    void refuses_part_sizes_outside_s3s_limits_and_negative_ones() {
        assertThatThrownBy(() -> CONFIG.withPartSize(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 5 MiB and 5 GiB");
        assertThatThrownBy(() -> CONFIG.withPartSize(5L * 1024 * 1024 - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CONFIG.withPartSize(5L * 1024 * 1024 * 1024 + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CONFIG.withPartSize(5L * 1024 * 1024).partSize()).isEqualTo(5L * 1024 * 1024);
    }

    @Test
    void checks_presign_expiries_against_its_bounds_which_must_fit_sigv4() {
        var bounded = CONFIG.withPresignExpiryBounds(Duration.ofSeconds(30), Duration.ofHours(1));

        assertThat(bounded.checkPresignExpiry(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> bounded.checkPresignExpiry(Duration.ofSeconds(29)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between PT30S and PT1H");
        assertThatThrownBy(() -> bounded.checkPresignExpiry(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("expiry");
        assertThatThrownBy(() -> CONFIG.withPresignExpiryBounds(Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one second");
        assertThatThrownBy(() -> CONFIG.withPresignExpiryBounds(Duration.ofSeconds(1), Duration.ofDays(8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seven days");
        assertThatThrownBy(() -> CONFIG.withPresignExpiryBounds(Duration.ofHours(2), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than the longest");
    }

    @Test
    void refuses_missing_and_blank_credentials_and_bad_regions() {
        assertThatThrownBy(() -> MinioStoreConfig.of(null, "a", "b", "jobs")).isInstanceOf(NullPointerException.class)
                .hasMessage("endpoint");
        assertThatThrownBy(() -> MinioStoreConfig.of(CONFIG.endpoint(), " ", "b", "jobs"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("access key");
        assertThatThrownBy(() -> MinioStoreConfig.of(CONFIG.endpoint(), "a", "", "jobs"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret key");
        assertThatThrownBy(() -> CONFIG.withRegion("US East")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("region");
    }
}
