package io.gridledger.gateway.api;

import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.Identities;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.Verification;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiUnitsTest {

    @Nested
    class JobIdsDerivation {

        @TempDir
        Path dir;

        private JobIds ids() {
            return new JobIds(new ApiSettings(dir.toString(), "User1", Duration.ofHours(1), Duration.ofMinutes(1)), identities());
        }

        @Test
        void the_same_partner_and_key_give_the_same_id_across_restarts_and_anything_else_another() {
            var first = ids();
            var id = first.derive("alice", "key-1");
            assertThat(ids().derive("alice", "key-1")).isEqualTo(id);
            assertThat(first.derive("alice", "key-2")).isNotEqualTo(id);
            assertThat(first.derive("bob", "key-1")).isNotEqualTo(id);
            assertThat(id).matches("j-[a-z2-7]{10}-[a-z2-7]{26}");
            assertThat(first.madeFor("alice", id)).isTrue();
            assertThat(first.madeFor("bob", id)).isFalse();
        }

        @Test
        void another_gateways_key_gives_other_ids() {
            var id = ids().derive("alice", "key-1");
            var elsewhere = new JobIds(new ApiSettings(dir.resolve("other").toString(), "User1", Duration.ofHours(1),
                    Duration.ofMinutes(1)), identities());
            assertThat(elsewhere.derive("alice", "key-1")).isNotEqualTo(id);
        }
    }

    @Test
    void contract_refusals_map_to_http_statuses_and_the_gateways_own_clock_skew_is_a_retry() {
        assertThat(Failure.refusal(ContractErrorCode.INVALID_ARGUMENT, "x").status().getCode()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        assertThat(Failure.refusal(ContractErrorCode.FORBIDDEN, "x").status().getCode()).isEqualTo(HttpStatus.FORBIDDEN.getCode());
        assertThat(Failure.refusal(ContractErrorCode.NOT_FOUND, "x").status().getCode()).isEqualTo(HttpStatus.NOT_FOUND.getCode());
        for (var code : List.of(ContractErrorCode.ALREADY_EXISTS, ContractErrorCode.WRONG_STATE,
                ContractErrorCode.INSUFFICIENT_FUNDS, ContractErrorCode.DEADLINE_PASSED)) {
            assertThat(Failure.refusal(code, "x").status().getCode()).isEqualTo(HttpStatus.CONFLICT.getCode());
        }
        assertThat(Failure.refusal(ContractErrorCode.COMMITMENT_MISMATCH, "x").status().getCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY.getCode());
        for (var code : List.of(ContractErrorCode.CLOCK_SKEW, ContractErrorCode.NOT_INITIALIZED)) {
            var failure = Failure.refusal(code, "x");
            assertThat(failure.status().getCode()).isEqualTo(503);
            assertThat(failure.retryAfter()).isNotNull();
            assertThat(failure.error().code()).isEqualTo(code.name());
        }
    }

    @Test
    void a_cursor_is_good_only_for_the_listing_it_was_made_for() {
        var json = JsonMapper.createDefault();
        var cursor = new PageCursor("bm", "j-1", "jobs;status=").encode(json);
        assertThat(PageCursor.decode(cursor, "jobs;status=", json).after()).isEqualTo("j-1");
        assertThatThrownBy(() -> PageCursor.decode(cursor, "jobs;status=QUEUED", json)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> PageCursor.decode("%%%", "jobs;status=", json)).isInstanceOf(ApiException.class);
        assertThat(PageCursor.decode(null, "f", json).bookmark()).isEmpty();
    }

    @Test
    void a_submission_matches_the_ledgers_copy_despite_the_defaults_the_contract_filled_in() {
        var requested = spec(new Verification(Verification.Mode.REPLICATED, 0, 0, null, null), null, null);
        var recorded = spec(new Verification(Verification.Mode.REPLICATED, 2, 2, 3, false), Map.of(), "");
        assertThat(JobService.sameSubmission(requested, recorded)).isTrue();
        var cheaper = new JobSpec("j", requested.image(), requested.command(), requested.env(), requested.inputs(),
                requested.resources(), 19, requested.timeoutSeconds(), requested.verification(), 0, requested.deadline());
        assertThat(JobService.sameSubmission(cheaper, recorded)).isFalse();
    }

    private static JobSpec spec(Verification verification, Map<String, String> env, String gpuModel) {
        return new JobSpec("j", "img@sha256:" + "a".repeat(64), List.of("run"), env, null,
                new Resources(1000, 512, 0, gpuModel, 0, "amd64", Map.of("pool", "x")), 20, 60, verification, 0, 1_900_000_000L);
    }

    private static Identities identities() {
        return new Identities() {
            @Override
            public String mspId() {
                return "Org1MSP";
            }

            @Override
            public SigningIdentity identity(String name) {
                throw new IllegalArgumentException(name);
            }

            @Override
            public Set<String> names() {
                return Set.of("User1");
            }
        };
    }

    @Nested
    class StorageFailures {

        @Test
        void a_store_that_is_down_is_a_retryable_503_that_names_neither_its_address_nor_the_exception() {
            var down = new io.gridledger.storage.StorageUnavailableException("gridledger",
                    java.net.URI.create("http://10.1.2.3:9501"), "stat sha256/ab", "java.net.ConnectException: Connection refused",
                    new java.net.ConnectException("Connection refused"));

            var failure = Failure.of(JobInputs.unavailable(down)).orElseThrow();

            assertThat((Object) failure.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(failure.retryAfter()).isEqualTo(JobInputs.STORAGE_RETRY_AFTER);
            assertThat(failure.error().code()).isEqualTo("STORAGE_UNAVAILABLE");
            assertThat(failure.error().message()).contains("object store is unavailable")
                    .doesNotContain("10.1.2.3").doesNotContain("gridledger").doesNotContain("Exception");
        }
    }
}
