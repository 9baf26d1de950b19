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
import static io.gridledger.chaincode.domain.Fixtures.assignment;
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
    /** ceil(100 credits × 1.500736 RU × 600 s): the most one replica of the fixture job can cost. */
    private static final long MAX_PER_REPLICA = 90_045;

    private static List<Job.Hold> holds(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> new Job.Hold("offer-" + i, 0, i, 1, false)).toList();
    }

    @Nested
    class Submit {

        @Test
        void escrows_one_maximum_cost_plus_the_fee_for_a_single_execution() {
            var job = job("job-1");

            assertThat(job.microUnits()).isEqualTo(CPU_NEED_MICRO_UNITS);
            // fee 2.5 % = floor(2,251.125)
            assertThat(job.escrowed()).isEqualTo(MAX_PER_REPLICA + 2_251);
        }

        @Test
        void escrows_every_replica_it_may_ever_have_including_the_tie_breakers() {
            var job = replicatedJob("job-1", 3, 2);

            // 3 replicas + 1 tie-breaker (quorum − 1) = 4 × 90,045 = 360,180; fee floor(9,004.5) = 9,004
            assertThat(job.verification().maxReplicas()).isEqualTo(4);
            assertThat(job.escrowed()).isEqualTo(360_180 + 9_004);
        }

        @Test
        void a_client_that_opts_out_of_tie_breaking_escrows_only_its_replicas() {
            var spec = jobSpecBuilder("job-1").verification(Verification.replicated(3, 2).withMaxReplicas(3)).build();

            assertThat(Job.submit(spec, CLIENT, ORG1, params(), NOW).escrowed()).isEqualTo(Job.maxCharge(MAX_PER_REPLICA, 3, 250));
        }

        @Test
        void fixes_the_settlement_terms_of_the_parameters_it_was_submitted_under() {
            var params = paramsBuilder().feeBasisPoints(1_234).slashBasisPoints(77).commitGraceSeconds(45)
                    .revealWindowSeconds(90).clockToleranceSeconds(12).build();

            var job = Job.submit(jobSpec("job-1"), CLIENT, ORG1, params, NOW);

            assertThat(job.terms()).isEqualTo(new Terms(1, 1_234, 77, 45, 90, 12));
        }

        @Test
        void resolves_unspecified_replication_with_the_consortium_defaults() {
            var spec = jobSpecBuilder("job-1").replicated(0, 0).build();
            var params = paramsBuilder().members(Fixtures.ORGS).defaultReplicas(5).defaultQuorum(4).build();

            var job = Job.submit(spec, CLIENT, ORG1, params, NOW);

            assertThat(job.verification()).isEqualTo(Verification.replicated(5, 4));
            assertThat(job.verification().maxReplicas()).isEqualTo(8);
        }

        @Test
        void refuses_more_replicas_than_member_orgs_unless_replicas_may_share_an_org() {
            var spec = jobSpecBuilder("job-1").replicated(5, 3).build();
            var sharing = jobSpecBuilder("job-2").verification(Verification.replicated(5, 3).allowingSameOrg()).build();

            assertInvalid(() -> Job.submit(spec, CLIENT, ORG1, params(), NOW))
                    .hasMessageContaining("5 replicas need as many member orgs, the consortium has 3");
            assertThat(Job.submit(sharing, CLIENT, ORG1, params(), NOW).verification().countsOrgs()).isFalse();
        }

        @Test
        void records_a_queued_job_with_the_spec_and_the_client() {
            var spec = jobSpec("job-1");

            var job = Job.submit(spec, CLIENT, ORG1, params(), NOW);

            assertThat(job.jobId()).isEqualTo("job-1");
            assertThat(job.clientId()).isEqualTo(CLIENT);
            assertThat(job.clientOrg()).isEqualTo(ORG1);
            assertThat(job.spec()).isEqualTo(spec);
            assertThat(job.status()).isEqualTo(Status.QUEUED);
            assertThat(job.phase()).isEqualTo(Phase.NONE);
            assertThat(job.createdAt()).isEqualTo(NOW);
            assertThat(job.updatedAt()).isEqualTo(NOW);
            assertThat(job.replicaCount()).isZero();
            assertThat(job.holds()).isEmpty();
            assertThat(job.awaitsMatching()).isTrue();
            assertThat(job.resourceClass()).isEqualTo("amd64/cpu");
        }

        @Test
        void rejects_a_deadline_that_leaves_less_than_the_timeout_plus_the_commit_grace() {
            var spec = jobSpecBuilder("job-1").timeoutSeconds(600).deadline(NOW + 899).build();

            assertInvalid(() -> Job.submit(spec, CLIENT, ORG1, params(), NOW)).hasMessage("deadline " + (NOW + 899)
                    + " leaves less than timeoutSeconds 600 plus the commit grace 300 s from now (" + NOW + ")");
            var exact = jobSpecBuilder("job-1").timeoutSeconds(600).deadline(NOW + 900).build();
            assertThat(Job.submit(exact, CLIENT, ORG1, params(), NOW).canStillRun(NOW)).isTrue();
        }

        @Test
        void rejects_resources_worth_nothing_under_the_consortium_weights() {
            var params = paramsBuilder().units(new ResourceUnits(0, 0, 1_000_000, 0)).build();

            assertInvalid(() -> Job.submit(jobSpec("job-1"), CLIENT, ORG1, params, NOW))
                    .hasMessage("resources are worth 0 resource units under the consortium's weights");
        }

        @Test
        void rejects_a_job_whose_replicas_together_could_cost_more_than_the_credit_range() {
            var single = jobSpecBuilder("job-1").maxUnitPrice(Pricing.MAX_UNIT_PRICE).timeoutSeconds(300).build();
            var replicated = jobSpecBuilder("job-2").maxUnitPrice(Pricing.MAX_UNIT_PRICE).timeoutSeconds(300)
                    .replicated(3, 2).build();

            assertThat(Job.submit(single, CLIENT, ORG1, params(), NOW).escrowed()).isLessThan(Params.MAX_CREDITS);
            assertInvalid(() -> Job.submit(replicated, CLIENT, ORG1, params(), NOW))
                    .hasMessageContaining("the job's maximum cost").hasMessageContaining("exceeds the credit range");
        }

        @Test
        void rejects_a_fee_that_pushes_the_maximum_charge_beyond_the_credit_range() {
            assertThat(Job.maxCharge(Params.MAX_CREDITS, 1, 0)).isEqualTo(Params.MAX_CREDITS);
            assertInvalid(() -> Job.maxCharge(Params.MAX_CREDITS, 1, 1))
                    .hasMessageContaining("the job's maximum cost " + (Params.MAX_CREDITS + Params.MAX_CREDITS / 10_000));
        }
    }

    @Nested
    class Time {

        @Test
        void a_transition_stamped_before_the_last_one_records_the_last_ones_time() {
            var running = replicatedJob("job-1", 2, 2).assigned(holds(2), false, NOW + 100);

            var backdated = running.revealPhase(NOW + 40);

            assertThat(backdated.updatedAt()).isEqualTo(NOW + 100);
            assertThat(backdated.revealDeadline()).isEqualTo(NOW + 100 + params().revealWindowSeconds());
        }

        @Test
        void can_still_run_while_the_timeout_and_the_commit_grace_fit_before_the_deadline() {
            var job = job("job-1");
            long latestStart = job.spec().deadline() - 600 - 300;

            assertThat(job.canStillRun(latestStart)).isTrue();
            assertThat(job.canStillRun(latestStart + 1)).isFalse();
        }

        @Test
        void a_deadline_surely_passed_only_beyond_the_clock_tolerance() {
            var terms = job("job-1").terms();

            assertThat(terms.surelyPassed(NOW, NOW + 30)).isFalse();
            assertThat(terms.surelyPassed(NOW, NOW + 31)).isTrue();
        }
    }

    @Nested
    class WhenQueued {

        private final Job queued = job("job-1");

        @Test
        void records_why_it_is_not_matched_yet_and_stays_queued() {
            var why = new Job.Unmatched(Job.Unmatched.Reason.PRICE, "too cheap", NOW + 5);

            var unmatched = queued.unmatched(why, NOW + 5);

            assertThat(unmatched.status()).isEqualTo(Status.QUEUED);
            assertThat(unmatched.unmatched()).isEqualTo(why);
            assertThat(unmatched.updatedAt()).isEqualTo(NOW + 5);
        }

        @Test
        void starts_its_commit_phase_when_assigned_with_the_slots_it_holds() {
            var running = queued.unmatched(new Job.Unmatched(Job.Unmatched.Reason.PRICE, "x", NOW), NOW)
                    .assigned(holds(1), false, NOW + 10);

            assertThat(running.status()).isEqualTo(Status.RUNNING);
            assertThat(running.phase()).isEqualTo(Phase.COMMIT);
            assertThat(running.round()).isZero();
            assertThat(running.replicaCount()).isEqualTo(1);
            assertThat(running.holds()).isEqualTo(holds(1));
            assertThat(running.unmatched()).isNull();
            assertThat(running.awaitsMatching()).isFalse();
        }

        @Test
        void cannot_enter_a_reveal_phase_or_wait_for_tie_breakers() {
            assertRejected(() -> queued.revealPhase(NOW), ErrorCode.WRONG_STATE);
            assertRejected(() -> queued.awaitingTieBreakers(1, NOW), ErrorCode.WRONG_STATE);
        }
    }

    @Nested
    class WhenRunning {

        private final Job running = runningJob("job-1", 3, 2);

        @Test
        void cannot_be_assigned_again_or_marked_unmatched() {
            assertRejected(() -> running.assigned(holds(3), false, NOW), ErrorCode.WRONG_STATE);
            assertRejected(() -> running.unmatched(new Job.Unmatched(Job.Unmatched.Reason.PRICE, "x", NOW), NOW),
                    ErrorCode.WRONG_STATE);
        }

        @Test
        void opens_the_reveal_window_of_its_terms_when_expiry_closes_the_commit_phase() {
            var revealing = running.revealPhase(NOW + 700);

            assertThat(revealing.phase()).isEqualTo(Phase.REVEAL);
            assertThat(revealing.revealDeadline()).isEqualTo(NOW + 700 + running.terms().revealWindowSeconds());
            assertRejected(() -> revealing.revealPhase(NOW + 701), ErrorCode.WRONG_STATE);
        }

        @Test
        void replacing_late_replicas_excludes_their_nodes_and_ends_their_holds() {
            var late = assignment(1);
            var replacement = new Job.Hold("offer-x", 2, 1, 2, false);

            var replaced = running.replaced(List.of(late), List.of(replacement), NOW + 1_000);

            assertThat(replaced.excludedNodes()).containsExactly(late.nodeId());
            assertThat(replaced.holds()).contains(new Job.Hold("offer-node-1", 0, 1, 1, true), replacement);
        }

        @Test
        void a_split_waits_for_tie_breakers_then_runs_round_one_with_them() {
            var waiting = running.awaitingTieBreakers(1, NOW + 900);

            assertThat(waiting.phase()).isEqualTo(Phase.TIEBREAK);
            assertThat(waiting.tieBreakers()).isEqualTo(1);
            assertThat(waiting.awaitsMatching()).isTrue();

            var round1 = waiting.tieBreakersAssigned(List.of(new Job.Hold("offer-t", 0, 3, 1, false)), false, NOW + 950);

            assertThat(round1.round()).isEqualTo(1);
            assertThat(round1.replicaCount()).isEqualTo(4);
            assertThat(round1.phase()).isEqualTo(Phase.COMMIT);
            assertThat(round1.tieBreakers()).isZero();
            assertRejected(() -> round1.awaitingTieBreakers(1, NOW + 960), ErrorCode.WRONG_STATE);
        }

        @Test
        void ends_with_its_outcome_and_no_phase() {
            var outcome = new Job.Outcome("f".repeat(64), 100, null, Map.of(0, Verdict.AGREED), Map.of("n", 10L), 1, 2,
                    Map.of());

            var done = running.finished(Status.COMPLETED, outcome, NOW + 2_000);

            assertThat(done.status()).isEqualTo(Status.COMPLETED);
            assertThat(done.phase()).isEqualTo(Phase.NONE);
            assertThat(done.outcome()).isEqualTo(outcome);
            assertThat(done.isFinished()).isTrue();
        }
    }

    @Nested
    class WhenFinished {

        @ParameterizedTest
        @EnumSource(value = Status.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
        void cannot_finish_again_nor_be_matched(Status status) {
            var done = job("job-1").finished(status, new Job.Outcome(null, 0, "x", Map.of(), Map.of(), 0, 0, Map.of()), NOW);

            assertRejected(() -> done.finished(Status.FAILED, done.outcome(), NOW), ErrorCode.WRONG_STATE);
            assertThat(done.awaitsMatching()).isFalse();
        }
    }
}
