package io.gridledger.chaincode.ledger;

import io.gridledger.chaincode.domain.ErrorCode;
import io.gridledger.chaincode.domain.Fixtures;
import io.gridledger.chaincode.domain.Job;
import io.gridledger.chaincode.domain.JobSpec;
import io.gridledger.chaincode.domain.OfferSpec;
import io.gridledger.chaincode.domain.Params;
import io.gridledger.chaincode.domain.Rejection;
import io.gridledger.chaincode.domain.Replica;
import io.gridledger.chaincode.domain.SlotTable;
import io.gridledger.chaincode.domain.Terms;
import io.gridledger.chaincode.domain.Verdict;
import io.gridledger.chaincode.domain.Reputation;
import io.gridledger.chaincode.domain.Settlement;
import io.gridledger.chaincode.domain.Verification;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gridledger.chaincode.domain.Fixtures.DIGEST_A;
import static io.gridledger.chaincode.domain.Fixtures.NOW;
import static io.gridledger.chaincode.domain.Fixtures.jobSpecBuilder;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    private static final String SLOT = """
            {"arch":"amd64","cpuMillis":1000,"gpuCount":0,"memoryMiB":1024,"storageMiB":0}""";
    private static final String OFFER = """
            {"offerId":"offer-1","slot":%s,"slots":2,"stake":5000,"unitPrice":10}""".formatted(SLOT);

    private static AbstractThrowableAssert<?, ? extends Throwable> assertOfferRejected(String json) {
        return assertInvalid(() -> Json.parse("offer", json, OfferSpec.class));
    }

    @Nested
    class Output {

        @Test
        void sorts_map_keys_whatever_the_insertion_order() {
            var forwards = new LinkedHashMap<String, Object>();
            forwards.put("alpha", 1);
            forwards.put("beta", Map.of("y", 2, "x", 1));
            var nestedBackwards = new LinkedHashMap<String, Object>();
            nestedBackwards.put("y", 2);
            nestedBackwards.put("x", 1);
            var backwards = new LinkedHashMap<String, Object>();
            backwards.put("beta", nestedBackwards);
            backwards.put("alpha", 1);

            assertThat(Json.toJson(backwards)).isEqualTo("{\"alpha\":1,\"beta\":{\"x\":1,\"y\":2}}");
            assertThat(Json.toBytes(backwards)).isEqualTo(Json.toBytes(forwards));
        }

        @Test
        void writes_record_components_in_alphabetical_order() {
            assertThat(Json.toJson(Verification.replicated(3, 2)))
                    .isEqualTo("{\"maxReplicas\":4,\"mode\":\"REPLICATED\",\"quorum\":2,\"replicas\":3,\"sameOrgReplicas\":false}");
            assertThat(Json.toJson(Fixtures.offerSpec("offer-1")))
                    .startsWith("{\"offerId\":\"offer-1\",\"slot\":{\"arch\":\"amd64\",\"cpuMillis\":4000,");
        }

        @Test
        void writes_byte_identical_json_for_equal_values() {
            var env1 = new LinkedHashMap<String, String>();
            env1.put("B", "2");
            env1.put("A", "1");
            var env2 = new LinkedHashMap<String, String>();
            env2.put("A", "1");
            env2.put("B", "2");
            var one = Fixtures.job(jobSpecBuilder("job-1").env(env1).build());
            var other = Fixtures.job(jobSpecBuilder("job-1").env(env2).build());

            assertThat(one).isEqualTo(other);
            assertThat(Json.toBytes(one)).isEqualTo(Json.toBytes(other));
        }

        @Test
        void writes_settlement_payments_sorted_by_node() {
            var payments = new LinkedHashMap<String, Long>();
            payments.put("Org3MSP/c", 3L);
            payments.put("Org1MSP/a", 1L);

            assertThat(Json.toJson(new Settlement(payments, 1, 2)))
                    .isEqualTo("{\"fee\":1,\"payments\":{\"Org1MSP/a\":1,\"Org3MSP/c\":3},\"refund\":2}");
        }

        @Test
        void omits_absent_values() {
            var json = Json.toJson(Fixtures.assigned(0));

            assertThat(json).doesNotContain("commitment", "digest", "verdict", "null");
        }

        @Test
        void writes_only_recorded_state_not_derived_predicates() {
            assertThat(Json.toJson(Fixtures.job("job-1"))).doesNotContain("\"finished\"");
            assertThat(Json.toJson(Fixtures.offer("offer-1"))).doesNotContain("\"active\"");
        }

        @Test
        void writes_utf8() {
            var spec = jobSpecBuilder("job-1").command(List.of("echo", "grüße")).build();

            assertThat(new String(Json.toBytes(spec), StandardCharsets.UTF_8)).contains("grüße");
        }
    }

    @Nested
    class RoundTrip {

        @Test
        void reads_back_every_ledger_record_it_wrote() {
            var job = Fixtures.runningJob("job-1", 3, 2).replaced(List.of(Fixtures.assignment(1)), List.of(), NOW + 2)
                    .finished(Job.Status.COMPLETED, new Job.Outcome(DIGEST_A, 100, null, Map.of(0, Verdict.AGREED),
                            Map.of("Org1MSP/a", 5L), 1, 2, Map.of("Org2MSP/b", 7L)), NOW + 3);
            var unmatched = Fixtures.job("job-2").unmatched(
                    new Job.Unmatched(Job.Unmatched.Reason.PRICE, "too cheap", NOW), NOW);
            List<Object> values = List.of(Fixtures.params(), Fixtures.offer("offer-1"), Fixtures.offer("offer-2").pause(NOW),
                    Fixtures.offerSpec("offer-1"), Fixtures.jobSpec("job-1"), Fixtures.job("job-1"), job, unmatched,
                    Fixtures.assignment(0), Fixtures.committed(1, DIGEST_A).commit(), Fixtures.revealed(2, DIGEST_A).reveal(),
                    Fixtures.timedOut(3).replica(), Fixtures.candidate("Org1MSP/a", 10),
                    Reputation.of(Verdict.AGREED, "Org1MSP", "Org2MSP", 100).plus(Reputation.of(Verdict.NO_SHOW, "Org1MSP", "Org2MSP", 0)),
                    SlotTable.EMPTY.occupy(3, "job-1#0#1"), new Terms(1, 250, 1_000, 300, 600, 30),
                    new Settlement(Map.of("Org1MSP/a", 3L), 1, 2));

            for (var value : values) {
                assertThat(Json.read(Json.toBytes(value), value.getClass())).as(value.getClass().getSimpleName())
                        .isEqualTo(value);
            }
        }

        @Test
        void parses_a_request_it_wrote() {
            var spec = Fixtures.jobSpec("job-1");

            assertThat(Json.parse("job", Json.toJson(spec), JobSpec.class)).isEqualTo(spec);
            assertThat(Json.parse("params", Json.toJson(Fixtures.params()), Params.class)).isEqualTo(Fixtures.params());
        }

        @Test
        void parses_a_json_array_of_ids() {
            assertThat(Json.parse("jobIds", "[\"job-1\",\"job-2\"]", String[].class)).containsExactly("job-1", "job-2");
        }

        @Test
        void treats_corrupted_ledger_bytes_as_an_internal_error_not_bad_input() {
            assertThatThrownBy(() -> Json.read("{\"jobId\":".getBytes(StandardCharsets.UTF_8), Job.class))
                    .isInstanceOf(IllegalStateException.class)
                    .isNotInstanceOf(Rejection.class)
                    .hasMessage("corrupted ledger value for Job");
        }
    }

    @Nested
    class StrictInput {

        @Test
        void accepts_the_reference_offer() {
            assertThat(Json.parse("offer", OFFER, OfferSpec.class).slots()).isEqualTo(2);
        }

        @Test
        void rejects_an_unknown_field_naming_it() {
            assertOfferRejected(OFFER.replace("\"slots\":2", "\"slots\":2,\"discount\":5"))
                    .hasMessage("offer: unknown field 'discount' at 'discount'");
        }

        @Test
        void rejects_an_unknown_nested_field_with_its_path() {
            assertOfferRejected(OFFER.replace("\"gpuCount\":0", "\"gpuCount\":0,\"vram\":16"))
                    .hasMessage("offer: unknown field 'vram' at 'slot.vram'");
        }

        @Test
        void rejects_trailing_tokens() {
            assertOfferRejected(OFFER + " {}").hasMessageContaining("offer:").hasMessageContaining("Trailing token");
            assertOfferRejected(OFFER + " x").hasMessageStartingWith("offer is not valid JSON");
        }

        @Test
        void rejects_a_duplicate_key_naming_it() {
            assertOfferRejected(OFFER.replace("\"slots\":2", "\"slots\":2,\"slots\":1000"))
                    .hasMessageContaining("offer")
                    .hasMessageContaining("Duplicate field 'slots'");
        }

        @Test
        void rejects_a_duplicate_nested_key() {
            assertOfferRejected(OFFER.replace("\"arch\":\"amd64\"", "\"arch\":\"amd64\",\"arch\":\"arm64\""))
                    .hasMessageContaining("Duplicate field 'arch'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"2.5", "2.0", "2e0"})
        void rejects_a_float_where_an_integer_is_expected_naming_the_field(String number) {
            assertOfferRejected(OFFER.replace("\"slots\":2", "\"slots\":" + number))
                    .hasMessageContaining("offer:")
                    .hasMessageContaining("'slots'");
        }

        @Test
        void rejects_a_nested_float_naming_its_path() {
            assertOfferRejected(OFFER.replace("\"cpuMillis\":1000", "\"cpuMillis\":1000.5"))
                    .hasMessage("offer: invalid value 1000.5 for 'slot.cpuMillis'");
        }

        @Test
        void rejects_null_for_a_number_naming_the_field() {
            assertOfferRejected(OFFER.replace("\"stake\":5000", "\"stake\":null"))
                    .hasMessageStartingWith("offer: wrong type or missing value at 'stake'");
        }

        @Test
        void rejects_a_missing_number_naming_the_field() {
            assertOfferRejected(OFFER.replace("\"stake\":5000,", ""))
                    .hasMessageStartingWith("offer: wrong type or missing value at 'stake'");
        }

        @Test
        void rejects_a_number_for_an_enum() {
            assertInvalid(() -> Json.parse("verification", "{\"mode\":1,\"replicas\":3,\"quorum\":2}", Verification.class))
                    .hasMessage("verification: invalid value 1 for 'mode'");
        }

        @Test
        void rejects_an_unknown_enum_constant() {
            assertInvalid(() -> Json.parse("verification", "{\"mode\":\"TRIPLE\",\"replicas\":3,\"quorum\":2}",
                    Verification.class)).hasMessage("verification: invalid value TRIPLE for 'mode'");
        }

        @Test
        void rejects_an_array_where_an_object_is_expected() {
            assertOfferRejected("[]").hasMessageStartingWith("offer: wrong type or missing value at top level");
        }

        @Test
        void rejects_a_number_beyond_the_integer_range() {
            assertOfferRejected(OFFER.replace("\"slots\":2", "\"slots\":99999999999")).hasMessageContaining("offer");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"offerId\":", "not json", "{offerId:\"o\"}", "{\"offerId\":'o'}"})
        void rejects_malformed_json(String json) {
            assertOfferRejected(json).hasMessageStartingWith("offer is not valid JSON: ");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"  ", "\n"})
        void requires_a_value(String json) {
            assertOfferRejected(json).hasMessage("offer is required (JSON object)");
        }

        @Test
        void rejects_a_json_null() {
            assertOfferRejected("null").hasMessage("offer must be a JSON object, got null");
        }

        @Test
        void refuses_with_invalid_argument_so_the_gateway_answers_400() {
            assertThatThrownBy(() -> Json.parse("offer", "{", OfferSpec.class))
                    .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        }
    }

    @Nested
    class ValidationByRecords {

        @Test
        void surfaces_a_record_constructor_rejection_with_its_message() {
            assertOfferRejected(OFFER.replace("\"slots\":2", "\"slots\":0"))
                    .hasMessage("offer: slots must be between 1 and 1024, got 0");
        }

        @Test
        void surfaces_a_nested_record_rejection_with_its_message() {
            assertOfferRejected(OFFER.replace("\"cpuMillis\":1000", "\"cpuMillis\":0"))
                    .hasMessage("offer: cpuMillis must be between 1 and 1024000, got 0");
            assertOfferRejected(OFFER.replace("\"arch\":\"amd64\"", "\"arch\":\"AMD64\""))
                    .hasMessage("offer: arch must be a lowercase token such as amd64, got 'AMD64'");
        }

        @Test
        void surfaces_a_job_spec_rejection_with_its_message() {
            var json = Json.toJson(Fixtures.jobSpec("job-1")).replace(Fixtures.IMAGE, "ubuntu:22.04");

            assertInvalid(() -> Json.parse("job", json, JobSpec.class))
                    .hasMessage("job: image must be pinned by digest (name@sha256:<64 lowercase hex>), got 'ubuntu:22.04'");
        }

        @Test
        void surfaces_a_null_command_argument_as_a_clear_rejection() {
            var json = Json.toJson(Fixtures.jobSpec("job-1")).replace("\"command\":[\"render\"", "\"command\":[null");

            assertInvalid(() -> Json.parse("job", json, JobSpec.class))
                    .hasMessage("job: command arguments must be non-null and at most 4096 characters");
        }

        @Test
        void surfaces_a_null_input_as_a_clear_rejection() {
            var json = Json.toJson(Fixtures.jobSpec("job-1")).replaceFirst("\"inputs\":\\[\\{[^\\]]*}]", "\"inputs\":[null]");

            assertThat(json).contains("\"inputs\":[null]");
            assertInvalid(() -> Json.parse("job", json, JobSpec.class)).hasMessage("job: inputs must not contain null");
        }

        @Test
        void surfaces_params_validation() {
            var json = Json.toJson(Fixtures.paramsBuilder().defaultReplicas(4).defaultQuorum(3).build())
                    .replace("\"defaultQuorum\":3", "\"defaultQuorum\":2");

            assertInvalid(() -> Json.parse("params", json, Params.class))
                    .hasMessage("params: defaultQuorum must be a majority of defaultReplicas");
        }
    }
}
