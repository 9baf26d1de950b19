package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Settlement.Claim;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gridledger.chaincode.domain.Fixtures.CLIENT;
import static io.gridledger.chaincode.domain.Fixtures.NOW;
import static io.gridledger.chaincode.domain.Fixtures.ORG1;
import static io.gridledger.chaincode.domain.Fixtures.jobSpecBuilder;
import static io.gridledger.chaincode.domain.Fixtures.paramsBuilder;
import static io.gridledger.chaincode.domain.Fixtures.resourcesBuilder;
import static io.gridledger.chaincode.domain.Fixtures.revealed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettlementTest {

    /**
     * A job submitted exactly as {@link Job#submit} escrows it, and claims a settlement could make on it: at most
     * one per replica, each at a price within the job's limit and for at most its timeout.
     */
    record Scenario(Job job, int feeBasisPoints, List<Claim> claims) {
    }

    @Property(tries = 500)
    void payments_fee_and_refund_always_add_up_to_the_escrow(@ForAll("scenarios") Scenario scenario) {
        var job = scenario.job();

        var settlement = Settlement.split(scenario.claims(), job.microUnits(), job.escrowed(), scenario.feeBasisPoints());

        assertThat(settlement.paid() + settlement.fee() + settlement.refund()).isEqualTo(job.escrowed());
        assertThat(settlement.refund()).isNotNegative();
        assertThat(settlement.fee()).isEqualTo(Pricing.fee(settlement.paid(), scenario.feeBasisPoints()));
        for (var claim : scenario.claims()) {
            assertThat(settlement.payments().getOrDefault(claim.nodeId(), 0L))
                    .isGreaterThanOrEqualTo(Pricing.cost(claim.unitPrice(), job.microUnits(), claim.seconds()));
        }
        assertThat(settlement.payments().values()).as("no zero payments are listed").allMatch(amount -> amount > 0);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        var resources = Combinators.combine(
                Arbitraries.longs().between(1, 64_000),
                Arbitraries.longs().between(1, 262_144),
                Arbitraries.integers().between(0, 8),
                Arbitraries.longs().between(0, 1_048_576)
        ).as((cpu, memory, gpus, storage) -> resourcesBuilder().cpuMillis(cpu).memoryMiB(memory)
                .gpu(gpus, gpus == 0 ? "" : "nvidia-a100").storageMiB(storage).build());
        var terms = Combinators.combine(
                resources,
                Arbitraries.longs().between(1, 100_000),                 // maxUnitPrice
                Arbitraries.longs().between(1, JobSpec.MAX_TIMEOUT_SECONDS),
                Arbitraries.integers().between(1, Verification.MAX_REPLICAS),
                Arbitraries.integers().between(0, 5_000)                  // fee basis points
        ).as((res, maxPrice, timeout, replicas, fee) -> {
            var verification = replicas == 1 ? Verification.single()
                    : Verification.replicated(replicas, replicas / 2 + 1).allowingSameOrg();
            var spec = jobSpecBuilder("job-p").resources(res).maxUnitPrice(maxPrice).timeoutSeconds(timeout)
                    .verification(verification).deadline(NOW + timeout + 300).build();
            var params = paramsBuilder().feeBasisPoints(fee).build();
            return new Scenario(Job.submit(spec, CLIENT, ORG1, params, NOW), fee, List.of());
        });
        return terms.flatMap(scenario -> {
            var job = scenario.job();
            var claim = Combinators.combine(
                    Arbitraries.integers().between(0, 3),                 // a few nodes, so some claims share a node
                    Arbitraries.longs().between(1, job.spec().maxUnitPrice()),
                    Arbitraries.longs().between(0, job.spec().timeoutSeconds())
            ).as((node, price, seconds) -> new Claim("Org2MSP/node-" + node, price, seconds));
            return claim.list().ofMaxSize(job.verification().maxReplicas())
                    .map(claims -> new Scenario(job, scenario.feeBasisPoints(), claims));
        });
    }

    @Nested
    class Split {

        @Test
        void pays_each_claim_its_price_times_resource_units_times_seconds() {
            var claims = List.of(new Claim("Org2MSP/a", 40, 100), new Claim("Org3MSP/b", 30, 120));

            var settlement = Settlement.split(claims, 2_500_000, 100_000, 250);

            assertThat(settlement.payments()).containsEntry("Org2MSP/a", 10_000L)   // 40 × 2.5 × 100
                    .containsEntry("Org3MSP/b", 9_000L);                           // 30 × 2.5 × 120
            assertThat(settlement.paid()).isEqualTo(19_000);
            assertThat(settlement.fee()).isEqualTo(475);                           // 2.5 % of 19,000
            assertThat(settlement.refund()).isEqualTo(100_000 - 19_000 - 475);
        }

        @Test
        void rounds_each_payment_up_and_the_fee_down() {
            var claims = List.of(new Claim("Org2MSP/a", 1, 1), new Claim("Org3MSP/b", 3, 1));

            var settlement = Settlement.split(claims, 500_000, 10, 2_500);

            assertThat(settlement.payments()).containsEntry("Org2MSP/a", 1L)       // 0.5 → 1
                    .containsEntry("Org3MSP/b", 2L);                               // 1.5 → 2
            assertThat(settlement.fee()).isZero();                                 // 25 % of 3 = 0.75 → 0
            assertThat(settlement.refund()).isEqualTo(7);
        }

        @Test
        void adds_up_the_claims_of_one_node() {
            var claims = List.of(new Claim("Org2MSP/a", 10, 10), new Claim("Org2MSP/a", 20, 10));

            var settlement = Settlement.split(claims, ResourceUnits.MICRO, 1_000, 0);

            assertThat(settlement.payments()).containsExactly(java.util.Map.entry("Org2MSP/a", 300L));
        }

        @Test
        void refunds_everything_when_nobody_is_paid() {
            var settlement = Settlement.split(List.of(), 1_500_736, 12_345, 250);

            assertThat(settlement.payments()).isEmpty();
            assertThat(settlement.fee()).isZero();
            assertThat(settlement.refund()).isEqualTo(12_345);
            assertThat(settlement).isEqualTo(Settlement.refundAll(12_345));
        }

        @Test
        void refuses_to_pay_more_than_the_escrow() {
            var claims = List.of(new Claim("Org2MSP/a", 100, 100));

            assertThatThrownBy(() -> Settlement.split(claims, ResourceUnits.MICRO, 10_000, 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("escrow 10000 cannot cover payments 10000 and fee 1");
        }

        @Test
        void pays_the_whole_escrow_of_a_job_whose_replicas_ran_to_the_timeout_at_the_maximum_price() {
            var job = Fixtures.replicatedJob("job-1", 3, 2);
            var claims = new ArrayList<Claim>();
            for (int i = 0; i < job.verification().maxReplicas(); i++) {
                claims.add(new Claim("Org" + (i + 1) + "MSP/node", job.spec().maxUnitPrice(), job.spec().timeoutSeconds()));
            }

            var settlement = Settlement.split(claims, job.microUnits(), job.escrowed(), 250);

            assertThat(settlement.refund()).isZero();
        }

        @Test
        void lists_payments_sorted_by_node_and_immutable() {
            var claims = List.of(new Claim("Org3MSP/c", 1, 1), new Claim("Org1MSP/a", 1, 1), new Claim("Org2MSP/b", 1, 1));

            var settlement = Settlement.split(claims, ResourceUnits.MICRO, 100, 0);

            assertThat(settlement.payments().keySet()).containsExactly("Org1MSP/a", "Org2MSP/b", "Org3MSP/c");
            assertThatThrownBy(() -> settlement.payments().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class PaidTime {

        private static final long TIMEOUT = 600;

        @Test
        void a_single_replica_is_paid_the_time_it_reported_within_what_the_ledger_saw() {
            var claims = Settlement.agreeingClaims(List.of(revealed(0, Fixtures.DIGEST_A, 77)), TIMEOUT);

            assertThat(claims).extracting(Claim::seconds).containsExactly(77L);
        }

        @Test
        void agreeing_replicas_are_paid_the_middle_of_their_times_whatever_the_order() {
            var agreeing = List.of(revealed(0, Fixtures.DIGEST_A, 110), revealed(1, Fixtures.DIGEST_A, 90),
                    revealed(2, Fixtures.DIGEST_A, 100));

            assertThat(Settlement.medianSeconds(agreeing, TIMEOUT)).isEqualTo(100);
            assertThat(Settlement.agreeingClaims(agreeing, TIMEOUT)).extracting(Claim::seconds).containsExactly(100L, 90L, 100L);
        }

        @Test
        void the_median_of_an_even_count_is_the_lower_middle() {
            var agreeing = List.of(revealed(0, Fixtures.DIGEST_A, 120), revealed(1, Fixtures.DIGEST_A, 30));

            assertThat(Settlement.medianSeconds(agreeing, TIMEOUT)).isEqualTo(30);
        }

        @Test
        void no_replica_is_paid_more_than_the_ledger_saw_between_its_assignment_and_its_commit() {
            // The fixture commits 130 s after assignment: a report of 10,000 s is paid 130 s, for every agreeing replica.
            var agreeing = List.of(revealed(0, Fixtures.DIGEST_A, 10_000), revealed(1, Fixtures.DIGEST_A, 10_000),
                    revealed(2, Fixtures.DIGEST_A, 10_000));

            assertThat(Settlement.agreeingClaims(agreeing, TIMEOUT)).extracting(Claim::seconds)
                    .containsOnly(Fixtures.RUNTIME + 10);
        }

        @Test
        void one_outlier_claiming_a_long_runtime_does_not_raise_the_others_pay() {
            var agreeing = List.of(revealed(0, Fixtures.DIGEST_A, 100), revealed(1, Fixtures.DIGEST_A, 110),
                    revealed(2, Fixtures.DIGEST_A, 600));

            assertThat(Settlement.medianSeconds(agreeing, TIMEOUT)).isEqualTo(110);
        }
    }
}
