package io.gridledger.chaincode.domain;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.gridledger.chaincode.domain.Fixtures.ORG1;
import static io.gridledger.chaincode.domain.Fixtures.ORG2;
import static io.gridledger.chaincode.domain.Fixtures.ORG3;
import static io.gridledger.chaincode.domain.Fixtures.params;
import static io.gridledger.chaincode.domain.Fixtures.paramsBuilder;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParamsTest {

    @Nested
    class Members {

        @Test
        void are_kept_sorted_whatever_order_they_were_given_in() {
            assertThat(params(ORG3, ORG1, ORG2).members()).containsExactly(ORG1, ORG2, ORG3);
        }

        @Test
        void are_an_immutable_copy() {
            var given = new ArrayList<>(List.of(ORG2, ORG1));
            var params = paramsBuilder().members(given).build();

            given.add(ORG3);

            assertThat(params.members()).containsExactly(ORG1, ORG2);
            assertThatThrownBy(() -> params.members().add(ORG3)).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void give_equal_parameters_in_any_order() {
            assertThat(params(ORG2, ORG1)).isEqualTo(params(ORG1, ORG2));
        }

        @Test
        void rejects_a_duplicate_member() {
            assertInvalid(() -> params(ORG1, ORG2, ORG1)).hasMessage("members: duplicate MSP ID 'Org1MSP'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "Org 1", "-Org1", "Org1MSP/admin"})
        void rejects_an_invalid_msp_id(String mspId) {
            assertInvalid(() -> params(ORG1, mspId)).hasMessage("members: invalid MSP ID '" + mspId + "'");
        }

        @Test
        void rejects_a_null_member() {
            assertInvalid(() -> paramsBuilder().members(Arrays.asList(ORG1, null)).build())
                    .hasMessage("members: invalid MSP ID 'null'");
        }

        @Test
        void must_name_at_least_one_org() {
            assertInvalid(() -> paramsBuilder().members(List.of()).build())
                    .hasMessage("members must name at least one MSP ID");
            assertInvalid(() -> paramsBuilder().members((List<String>) null).build()).hasMessage("members is required");
        }

        @Test
        void tells_whether_an_org_is_a_member() {
            var params = params(ORG1, ORG2);

            assertThat(params.isMember(ORG1)).isTrue();
            assertThat(params.isMember(ORG3)).isFalse();
        }
    }

    @Nested
    class Majority {

        @ParameterizedTest(name = "{1} of {0}")
        @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,3", "6,4", "7,4"})
        void is_more_than_half_of_the_members(int members, int majority) {
            var orgs = new String[members];
            for (int i = 0; i < members; i++) {
                orgs[i] = "Org" + (i + 1) + "MSP";
            }

            assertThat(params(orgs).majority()).isEqualTo(majority);
        }
    }

    @Nested
    class Ranges {

        @Test
        void accepts_the_defaults_for_a_new_consortium() {
            var params = Params.defaults(List.of(ORG2, ORG1));

            assertThat(params.members()).containsExactly(ORG1, ORG2);
            assertThat(params.defaultReplicas()).isEqualTo(2);
            assertThat(params.defaultQuorum()).isEqualTo(2);
            assertThat(params.units()).isEqualTo(ResourceUnits.DEFAULT);
        }

        @Test
        void bound_the_fee_to_half_of_a_payment() {
            assertThat(paramsBuilder().feeBasisPoints(0).build().feeBasisPoints()).isZero();
            assertThat(paramsBuilder().feeBasisPoints(5_000).build().feeBasisPoints()).isEqualTo(5_000);
            assertInvalid(() -> paramsBuilder().feeBasisPoints(-1).build())
                    .hasMessage("feeBasisPoints must be between 0 and 5000, got -1");
            assertInvalid(() -> paramsBuilder().feeBasisPoints(5_001).build()).hasMessageContaining("feeBasisPoints");
        }

        @Test
        void bound_the_minimum_stake_to_the_credit_range() {
            assertInvalid(() -> paramsBuilder().minStakePerSlot(-1).build()).hasMessageContaining("minStakePerSlot");
            assertInvalid(() -> paramsBuilder().minStakePerSlot(Params.MAX_CREDITS + 1).build()).hasMessageContaining("minStakePerSlot");
        }

        @Test
        void bound_the_slash_to_the_whole_stake() {
            assertThat(paramsBuilder().slashBasisPoints(10_000).build().slashBasisPoints()).isEqualTo(10_000);
            assertInvalid(() -> paramsBuilder().slashBasisPoints(10_001).build()).hasMessageContaining("slashBasisPoints");
            assertInvalid(() -> paramsBuilder().slashBasisPoints(-1).build()).hasMessageContaining("slashBasisPoints");
        }

        @Test
        void bound_the_default_replicas() {
            assertInvalid(() -> paramsBuilder().defaultReplicas(0).defaultQuorum(0).build())
                    .hasMessageContaining("defaultReplicas");
            assertInvalid(() -> paramsBuilder().defaultReplicas(8).defaultQuorum(5).build())
                    .hasMessage("defaultReplicas must be between 2 and 7, got 8");
        }

        @Test
        void bound_the_default_quorum_by_the_default_replicas() {
            assertInvalid(() -> paramsBuilder().defaultReplicas(3).defaultQuorum(0).build())
                    .hasMessageContaining("defaultQuorum");
            assertInvalid(() -> paramsBuilder().defaultReplicas(3).defaultQuorum(4).build())
                    .hasMessage("defaultQuorum must be between 2 and 3, got 4");
        }

        @Test
        void rejects_a_default_quorum_that_is_not_a_majority() {
            assertInvalid(() -> paramsBuilder().defaultReplicas(4).defaultQuorum(2).build())
                    .hasMessage("defaultQuorum must be a majority of defaultReplicas");
            assertThat(paramsBuilder().defaultReplicas(4).defaultQuorum(3).build().defaultQuorum()).isEqualTo(3);
        }

        @Test
        void bound_the_commit_grace_and_reveal_window_to_a_week() {
            assertInvalid(() -> paramsBuilder().commitGraceSeconds(0).build()).hasMessageContaining("commitGraceSeconds");
            assertInvalid(() -> paramsBuilder().commitGraceSeconds(7 * 86_400 + 1).build())
                    .hasMessageContaining("commitGraceSeconds");
            assertInvalid(() -> paramsBuilder().revealWindowSeconds(0).build()).hasMessageContaining("revealWindowSeconds");
            assertInvalid(() -> paramsBuilder().revealWindowSeconds(7 * 86_400 + 1).build())
                    .hasMessage("revealWindowSeconds must be between 1 and 604800, got 604801");
        }

        @Test
        void bound_the_match_scan_limit() {
            assertInvalid(() -> paramsBuilder().matchScanLimit(0).build()).hasMessageContaining("matchScanLimit");
            assertInvalid(() -> paramsBuilder().matchScanLimit(10_001).build()).hasMessageContaining("matchScanLimit");
        }

        @Test
        void require_resource_unit_weights() {
            assertInvalid(() -> paramsBuilder().units(null).build()).hasMessage("units is required");
        }
    }
}
