package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Job.Phase;
import io.gridledger.chaincode.domain.Job.Status;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.gridledger.chaincode.domain.Fixtures.CLIENT;
import static io.gridledger.chaincode.domain.Fixtures.NOW;
import static io.gridledger.chaincode.domain.Fixtures.ORG1;
import static io.gridledger.chaincode.domain.Fixtures.job;
import static io.gridledger.chaincode.domain.Fixtures.jobSpec;
import static io.gridledger.chaincode.domain.Fixtures.jobSpecBuilder;
import static io.gridledger.chaincode.domain.Fixtures.params;
import static io.gridledger.chaincode.domain.Fixtures.paramsBuilder;
import static io.gridledger.chaincode.domain.Fixtures.replicatedJob;
import static io.gridledger.chaincode.domain.Fixtures.runningJob;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static io.gridledger.chaincode.domain.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class JobTest {

    /** µRU of {@link Fixtures#cpuNeed()} under the default weights: 1000 m × 1000 + 2048 MiB × 244 + 1024 MiB × 1. */
    private static final long CPU_NEED_MICRO_UNITS = 1_000_000 + 499_712 + 1_024;

    @Nested
    class Submit {

        @Test
        void escrows_one_maximum_cost_plus_the_fee_for_a_single_execution() {
            var job = job("job-1");

            // ceil(100 credits × 1.500736 RU × 600 s) = ceil(90,044.16) = 90,045; fee 2.5 % = floor(2,251.125)
            assertThat(job.microUnits()).isEqualTo(CPU_NEED_MICRO_UNITS);
            assertThat(job.escrowed()).isEqualTo(90_045 + 2_251);
        }

        @Test
        void escrows_every_replica_at_the_maximum_price_for_the_whole_timeout_plus_the_fee() {
            var job = replicatedJob("job-1", 3, 2);

            // 3 × 90,045 = 270,135; fee floor(6,753.375) = 6,753
            assertThat(job.escrowed()).isEqualTo(270_135 + 6_753);
        }

        @Test
        void computes_the_escrow_from_the_consortium_weights_and_fee() {
            var spec = jobSpecBuilder("job-1").maxUnitPrice(7).timeoutSeconds(333).replicated(5, 3).build();
            var params = paramsBuilder().feeBasisPoints(1_234).units(new ResourceUnits(3_000, 100, 0, 7)).build();

            var job = Job.submit(spec, CLIENT, ORG1, params, NOW);

            long micro = 1_000 * 3_000 + 2_048 * 100 + 1_024 * 7;
            long perReplica = Pricing.cost(7, micro, 333);
            long payments = 5 * perReplica;
            assertThat(job.microUnits()).isEqualTo(micro);
            assertThat(job.escrowed()).isEqualTo(payments + Pricing.fee(payments, 1_234));
        }

        @Test
        void resolves_unspecified_replication_with_the_consortium_defaults() {
            var spec = jobSpecBuilder("job-1").replicated(0, 0).build();

            var job = Job.submit(spec, CLIENT, ORG1, paramsBuilder().defaultReplicas(5).defaultQuorum(4).build(), NOW);

            assertThat(job.verification()).isEqualTo(Verification.replicated(5, 4));
            assertThat(job.escrowed()).isEqualTo(Job.maxCharge(90_045, 5, 250));
        }

        @Test
        void records_a_queued_job_with_the_spec_and_the_client() {
            var spec = jobSpec("job-1");

            var job = Job.submit(spec, CLIENT, ORG1, params(), NOW);

            assertThat(job.jobId()).isEqualTo("job-1");
            assertThat(job.clientId()).isEqualTo(CLIENT);
            assertThat(job.clientOrg()).isEqualTo(ORG1);
            assertThat(job.image()).isEqualTo(spec.image());
            assertThat(job.command()).isEqualTo(spec.command());
            assertThat(job.env()).isEqualTo(spec.env());
            assertThat(job.inputs()).isEqualTo(spec.inputs());
            assertThat(job.resources()).isEqualTo(spec.resources());
            assertThat(job.maxUnitPrice()).isEqualTo(spec.maxUnitPrice());
            assertThat(job.timeoutSeconds()).isEqualTo(spec.timeoutSeconds());
            assertThat(job.minReputation()).isEqualTo(spec.minReputation());
            assertThat(job.deadline()).isEqualTo(spec.deadline());
            assertThat(job.status()).isEqualTo(Status.QUEUED);
            assertThat(job.phase()).isEqualTo(Phase.NONE);
            assertThat(job.createdAt()).isEqualTo(NOW);
            assertThat(job.updatedAt()).isEqualTo(NOW);
            assertThat(job.revealDeadline()).isZero();
            assertThat(job.excludedNodes()).isEmpty();
            assertThat(job.unmatched()).isNull();
            assertThat(job.outcome()).isNull();
            assertThat(job.resourceClass()).isEqualTo("amd64/cpu");
        }

        @Test
        void rejects_a_deadline_that_leaves_less_than_the_timeout() {
            var spec = jobSpecBuilder("job-1").timeoutSeconds(600).deadline(NOW + 599).build();

            assertInvalid(() -> Job.submit(spec, CLIENT, ORG1, params(), NOW))
                    .hasMessage("deadline " + (NOW + 599) + " leaves less than timeoutSeconds 600 from now (" + NOW + ")");
        }

        @Test
        void rejects_a_deadline_in_the_past() {
            var spec = jobSpecBuilder("job-1").deadline(NOW - 1).build();

            assertInvalid(() -> Job.submit(spec, CLIENT, ORG1, params(), NOW)).hasMessageContaining("deadline");
        }

        @Test
        void accepts_a_deadline_exactly_one_timeout_away() {
            var spec = jobSpecBuilder("job-1").timeoutSeconds(600).deadline(NOW + 600).build();

            assertThat(Job.submit(spec, CLIENT, ORG1, params(), NOW).deadline()).isEqualTo(NOW + 600);
        }

        @Test
        void rejects_resources_worth_nothing_under_the_consortium_weights() {
            var params = paramsBuilder().units(new ResourceUnits(0, 0, 1_000_000, 0)).build();

            assertInvalid(() -> Job.submit(jobSpec("job-1"), CLIENT, ORG1, params, NOW))
                    .hasMessage("resources are worth 0 resource units under the consortium's weights");
        }

        @Test
        void rejects_a_job_whose_replicas_together_could_cost_more_than_the_credit_range() {
            // 10^12 × 1.500736 RU × 300 s ≈ 4.5·10^14 per replica fits; three replicas do not
            var single = jobSpecBuilder("job-1").maxUnitPrice(Pricing.MAX_UNIT_PRICE).timeoutSeconds(300).build();
            var replicated = jobSpecBuilder("job-2").maxUnitPrice(Pricing.MAX_UNIT_PRICE).timeoutSeconds(300)
                    .replicated(3, 2).build();

            assertThat(Job.submit(single, CLIENT, ORG1, params(), NOW).escrowed()).isLessThan(Params.MAX_CREDITS);
            assertInvalid(() -> Job.submit(replicated, CLIENT, ORG1, params(), NOW))
                    .hasMessageContaining("the job's maximum cost")
                    .hasMessageContaining("exceeds the credit range");
        }

        @Test
        void rejects_a_job_whose_single_replica_could_cost_more_than_the_credit_range() {
            var spec = jobSpecBuilder("job-1").maxUnitPrice(Pricing.MAX_UNIT_PRICE).timeoutSeconds(JobSpec.MAX_TIMEOUT_SECONDS)
                    .deadline(NOW + JobSpec.MAX_TIMEOUT_SECONDS).build();

            assertInvalid(() -> Job.submit(spec, CLIENT, ORG1, params(), NOW)).hasMessageContaining("exceeds the credit range");
        }

        @Test
        void rejects_a_fee_that_pushes_the_maximum_charge_beyond_the_credit_range() {
            assertThat(Job.maxCharge(Params.MAX_CREDITS, 1, 0)).isEqualTo(Params.MAX_CREDITS);
            assertInvalid(() -> Job.maxCharge(Params.MAX_CREDITS, 1, 1))
                    .hasMessageContaining("the job's maximum cost " + (Params.MAX_CREDITS + Params.MAX_CREDITS / 10_000));
        }
    }

    @Nested
    class WhenQueued {

        private final Job queued = job("job-1");

        @Test
        void records_why_it_is_not_matched_yet_and_stays_queued() {
            var why = new Job.Unmatched(Job.Unmatched.Reason.PRICE, "every free slot costs more", NOW + 5);

            var job = queued.unmatched(why, NOW + 5);

            assertThat(job.status()).isEqualTo(Status.QUEUED);
            assertThat(job.unmatched()).isEqualTo(why);
            assertThat(job.updatedAt()).isEqualTo(NOW + 5);
            assertThat(job.createdAt()).isEqualTo(NOW);
        }

        @Test
        void starts_its_commit_phase_when_assigned_and_forgets_why_it_was_unmatched() {
            var why = new Job.Unmatched(Job.Unmatched.Reason.CAPACITY, "busy", NOW + 5);

            var job = queued.unmatched(why, NOW + 5).assigned(NOW + 10);

            assertThat(job.status()).isEqualTo(Status.RUNNING);
            assertThat(job.phase()).isEqualTo(Phase.COMMIT);
            assertThat(job.unmatched()).isNull();
            assertThat(job.updatedAt()).isEqualTo(NOW + 10);
        }

        @Test
        void cannot_enter_a_reveal_phase() {
            assertRejected(() -> queued.revealPhase(NOW, params()), ErrorCode.WRONG_STATE)
                    .hasMessage("job job-1 is not in its commit phase");
        }

        @Test
        void can_be_finished_directly() {
            var outcome = new Job.Outcome(null, 0, "CANCELLED by " + CLIENT, Map.of(), 0, queued.escrowed(), Map.of());

            var job = queued.finished(Status.CANCELLED, outcome, NOW + 1);

            assertThat(job.status()).isEqualTo(Status.CANCELLED);
            assertThat(job.outcome()).isEqualTo(outcome);
            assertThat(job.isFinished()).isTrue();
        }

        @Test
        void leaves_the_original_untouched() {
            queued.assigned(NOW + 1);

            assertThat(queued.status()).isEqualTo(Status.QUEUED);
        }
    }

    @Nested
    class WhenRunning {

        private final Job running = runningJob("job-1", 3, 2);

        @Test
        void cannot_be_assigned_again() {
            assertRejected(() -> running.assigned(NOW + 1), ErrorCode.WRONG_STATE)
                    .hasMessage("cannot assign job job-1: it is RUNNING, not QUEUED");
        }

        @Test
        void cannot_be_marked_unmatched() {
            var why = new Job.Unmatched(Job.Unmatched.Reason.CAPACITY, "busy", NOW);

            assertRejected(() -> running.unmatched(why, NOW + 1), ErrorCode.WRONG_STATE)
                    .hasMessage("cannot match job job-1: it is RUNNING, not QUEUED");
        }

        @Test
        void opens_the_reveal_window_when_the_commit_phase_closes() {
            var job = running.revealPhase(NOW + 100, params());

            assertThat(job.status()).isEqualTo(Status.RUNNING);
            assertThat(job.phase()).isEqualTo(Phase.REVEAL);
            assertThat(job.revealDeadline()).isEqualTo(NOW + 100 + params().revealWindowSeconds());
        }

        @Test
        void cannot_enter_the_reveal_phase_twice() {
            var revealing = running.revealPhase(NOW + 100, params());

            assertRejected(() -> revealing.revealPhase(NOW + 200, params()), ErrorCode.WRONG_STATE)
                    .hasMessageContaining("not in its commit phase");
        }

        @Test
        void records_excluded_nodes_sorted_and_without_duplicates() {
            var job = running.excluding(List.of("Org2MSP/b", "Org1MSP/a"), NOW + 1)
                    .excluding(List.of("Org1MSP/a", "Org3MSP/c"), NOW + 2);

            assertThat(job.excludedNodes()).containsExactly("Org1MSP/a", "Org2MSP/b", "Org3MSP/c");
            assertThat(job.status()).isEqualTo(Status.RUNNING);
            assertThat(job.phase()).isEqualTo(Phase.COMMIT);
            assertThat(job.updatedAt()).isEqualTo(NOW + 2);
        }

        @Test
        void ends_with_its_outcome_and_no_phase() {
            var outcome = new Job.Outcome(Fixtures.DIGEST_A, 120, null, Map.of("Org2MSP/a", 10L), 1, 5, Map.of());

            var job = running.revealPhase(NOW + 100, params()).finished(Status.COMPLETED, outcome, NOW + 200);

            assertThat(job.status()).isEqualTo(Status.COMPLETED);
            assertThat(job.phase()).isEqualTo(Phase.NONE);
            assertThat(job.outcome()).isEqualTo(outcome);
            assertThat(job.updatedAt()).isEqualTo(NOW + 200);
        }

        @Test
        void requires_the_status_it_is_in_and_nothing_else() {
            running.requireStatus(Status.RUNNING, "reveal");

            assertRejected(() -> running.requireStatus(Status.QUEUED, "match"), ErrorCode.WRONG_STATE)
                    .hasMessage("cannot match job job-1: it is RUNNING, not QUEUED");
        }
    }

    @Nested
    class WhenFinished {

        @ParameterizedTest
        @EnumSource(value = Status.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
        void cannot_finish_again(Status status) {
            var finished = runningJob("job-1", 3, 2).finished(status, null, NOW + 1);

            assertThat(finished.isFinished()).isTrue();
            assertRejected(() -> finished.finished(Status.FAILED, null, NOW + 2), ErrorCode.WRONG_STATE)
                    .hasMessage("job job-1 is already " + status);
        }

        @Test
        void cannot_be_assigned_or_enter_a_reveal_phase() {
            var cancelled = job("job-1").finished(Status.CANCELLED, null, NOW + 1);

            assertRejected(() -> cancelled.assigned(NOW + 2), ErrorCode.WRONG_STATE);
            assertRejected(() -> cancelled.revealPhase(NOW + 2, params()), ErrorCode.WRONG_STATE);
        }

        @ParameterizedTest
        @EnumSource(value = Status.class, names = {"QUEUED", "RUNNING"})
        void is_not_finished_while_queued_or_running(Status status) {
            var job = status == Status.QUEUED ? job("job-1") : runningJob("job-1", 3, 2);

            assertThat(job.isFinished()).isFalse();
        }
    }
}
