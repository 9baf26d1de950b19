package io.gridledger.chaincode.domain;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.gridledger.chaincode.domain.Fixtures.DIGEST_A;
import static io.gridledger.chaincode.domain.Fixtures.DIGEST_B;
import static io.gridledger.chaincode.domain.Fixtures.NOW;
import static io.gridledger.chaincode.domain.Fixtures.RUNTIME;
import static io.gridledger.chaincode.domain.Fixtures.assignment;
import static io.gridledger.chaincode.domain.Fixtures.candidate;
import static io.gridledger.chaincode.domain.Fixtures.committed;
import static io.gridledger.chaincode.domain.Fixtures.fingerprint;
import static io.gridledger.chaincode.domain.Fixtures.hex;
import static io.gridledger.chaincode.domain.Fixtures.replicaJob;
import static io.gridledger.chaincode.domain.Fixtures.revealed;
import static io.gridledger.chaincode.domain.Fixtures.salt;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static io.gridledger.chaincode.domain.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class ReplicaTest {

    private static final long TIMEOUT = replicaJob().spec().timeoutSeconds();

    private static String commitmentOf(Replica replica, String digest, String salt) {
        return Commitments.commitment(replica.jobId(), replica.index(), replica.nodeId(), fingerprint(digest), salt);
    }

    @Nested
    class Assign {

        @Test
        void takes_the_offer_its_price_and_its_collateral_per_slot_at_assignment() {
            var replica = Replica.assign(replicaJob(), 1, 2, 0, candidate("Org2MSP/node-b", 42), 3, NOW);

            assertThat(replica.jobId()).isEqualTo("job-r");
            assertThat(replica.index()).isEqualTo(1);
            assertThat(replica.attempt()).isEqualTo(2);
            assertThat(replica.round()).isZero();
            assertThat(replica.nodeId()).isEqualTo("Org2MSP/node-b");
            assertThat(replica.nodeOrg()).isEqualTo("Org2MSP");
            assertThat(replica.offerId()).isEqualTo("offer-node-b");
            assertThat(replica.slot()).isEqualTo(3);
            assertThat(replica.unitPrice()).isEqualTo(42);
            assertThat(replica.collateral()).isEqualTo(2_000);
            assertThat(replica.assignedAt()).isEqualTo(NOW);
            assertThat(replica.status()).isEqualTo(Replica.Status.ASSIGNED);
            assertThat(replica.holdTag()).isEqualTo("job-r#1#2");
        }

        @Test
        void must_commit_within_the_timeout_plus_the_commit_grace_of_the_jobs_terms() {
            assertThat(assignment(0).commitDeadline()).isEqualTo(NOW + TIMEOUT + replicaJob().terms().commitGraceSeconds());
        }
    }

    @Nested
    class Commit {

        @Test
        void records_the_commitment_and_when_the_ledger_saw_it() {
            var replica = assignment(0);

            var commit = ReplicaCommit.of(replica, commitmentOf(replica, DIGEST_A, salt(0)), NOW + 50);

            assertThat(commit.committedAt()).isEqualTo(NOW + 50);
            assertThat(commit.attempt()).isEqualTo(1);
            assertThat(commit.nodeId()).isEqualTo(replica.nodeId());
        }

        @Test
        void accepts_a_commit_at_the_commit_deadline_and_refuses_one_after() {
            var replica = assignment(0);
            var commitment = commitmentOf(replica, DIGEST_A, salt(0));

            assertThat(ReplicaCommit.of(replica, commitment, replica.commitDeadline()).committedAt())
                    .isEqualTo(replica.commitDeadline());
            assertRejected(() -> ReplicaCommit.of(replica, commitment, replica.commitDeadline() + 1), ErrorCode.DEADLINE_PASSED).hasMessageContaining("deadline");
        }

        @Test
        void a_backdated_commit_never_records_a_time_before_the_assignment() {
            var replica = assignment(0);

            var commit = ReplicaCommit.of(replica, commitmentOf(replica, DIGEST_A, salt(0)), NOW - 20);

            assertThat(commit.committedAt()).isEqualTo(NOW);
        }

        @Test
        void a_timed_out_replica_cannot_commit_even_before_its_deadline() {
            var replica = assignment(0).timedOut();

            assertRejected(() -> ReplicaCommit.of(replica, commitmentOf(replica, DIGEST_A, salt(0)), NOW + 1), ErrorCode.WRONG_STATE).hasMessageContaining("timed out");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"abc", "zz00000000000000000000000000000000000000000000000000000000000000"})
        void rejects_a_commitment_that_is_not_a_sha256(String bad) {
            assertInvalid(() -> ReplicaCommit.of(assignment(0), bad, NOW)).hasMessageContaining("commitment");
        }
    }

    @Nested
    class Reveal {

        @Test
        void opens_a_commitment_with_its_fingerprint_and_salt() {
            var state = committed(0, DIGEST_A);

            var reveal = ReplicaReveal.open(state.replica(), state.commit(), fingerprint(DIGEST_A), salt(0), 100, TIMEOUT, NOW + 500);

            assertThat(reveal.fingerprint()).isEqualTo(fingerprint(DIGEST_A));
            assertThat(reveal.runtimeSeconds()).isEqualTo(100);
            assertThat(reveal.revealedAt()).isEqualTo(NOW + 500);
        }

        @Test
        void rejects_another_fingerprint_or_salt_as_a_commitment_mismatch() {
            var state = committed(0, DIGEST_A);

            assertRejected(() -> ReplicaReveal.open(state.replica(), state.commit(), fingerprint(DIGEST_B), salt(0), 1, TIMEOUT, NOW), ErrorCode.COMMITMENT_MISMATCH).hasMessageContaining("do not open");
            assertRejected(() -> ReplicaReveal.open(state.replica(), state.commit(), fingerprint(DIGEST_A), salt(1), 1, TIMEOUT, NOW), ErrorCode.COMMITMENT_MISMATCH).hasMessageContaining("do not open");
        }

        @Test
        void a_commitment_copied_from_another_replica_cannot_be_opened_by_the_copier() {
            var honest = committed(0, DIGEST_A);
            var copier = assignment(1);
            var copied = new ReplicaCommit(copier.jobId(), 1, 1, copier.nodeId(), honest.commit().commitment(), NOW + 10);

            // Even after the honest node revealed its fingerprint and salt, they open only the honest node's commitment.
            assertRejected(() -> ReplicaReveal.open(copier, copied, fingerprint(DIGEST_A), salt(0), 1, TIMEOUT, NOW + 20), ErrorCode.COMMITMENT_MISMATCH).hasMessageContaining("do not open");
        }

        @Test
        void a_tie_breaker_reveals_the_digest_whose_fingerprint_it_committed_to() {
            var r = assignment(3);
            var tieBreaker = new Replica(r.jobId(), 5, 1, 1, r.nodeId(), r.nodeOrg(), r.offerId(), 0, 40, 2_000, NOW,
                    r.commitDeadline(), Replica.Status.ASSIGNED);
            var commitment = commitmentOf(tieBreaker, DIGEST_A, salt(5));
            var commit = ReplicaCommit.of(tieBreaker, commitment, NOW + 10);

            var reveal = ReplicaReveal.open(tieBreaker, commit, DIGEST_A, salt(5), 1, TIMEOUT, NOW + 20);

            assertThat(reveal.fingerprint()).isEqualTo(fingerprint(DIGEST_A));
            // the public fingerprint is no substitute for the digest
            assertRejected(() -> ReplicaReveal.open(tieBreaker, commit, fingerprint(DIGEST_A), salt(5), 1, TIMEOUT, NOW + 20), ErrorCode.COMMITMENT_MISMATCH).hasMessageContaining("digest and salt");
        }

        @Test
        void caps_the_reported_runtime_at_the_timeout() {
            var state = committed(0, DIGEST_A);

            assertThat(ReplicaReveal.open(state.replica(), state.commit(), fingerprint(DIGEST_A), salt(0), TIMEOUT + 500,
                    TIMEOUT, NOW).runtimeSeconds()).isEqualTo(TIMEOUT);
        }

        @Test
        void rejects_a_negative_runtime_or_one_beyond_the_longest_timeout() {
            var state = committed(0, DIGEST_A);

            assertInvalid(() -> ReplicaReveal.open(state.replica(), state.commit(), fingerprint(DIGEST_A), salt(0), -1, TIMEOUT, NOW))
                    .hasMessageContaining("runtimeSeconds");
            assertInvalid(() -> ReplicaReveal.open(state.replica(), state.commit(), fingerprint(DIGEST_A), salt(0),
                    JobSpec.MAX_TIMEOUT_SECONDS + 1, TIMEOUT, NOW)).hasMessageContaining("runtimeSeconds");
        }

        @ParameterizedTest
        @ValueSource(ints = {30, 130})
        void rejects_a_salt_shorter_than_16_bytes_or_longer_than_64(int hexChars) {
            var state = committed(0, DIGEST_A);

            assertInvalid(() -> ReplicaReveal.open(state.replica(), state.commit(), fingerprint(DIGEST_A), hex(hexChars), 1,
                    TIMEOUT, NOW)).hasMessageContaining("salt");
        }
    }

    @Nested
    class ObservedTime {

        @Test
        void is_the_time_from_assignment_to_commit_capped_by_the_reported_runtime() {
            assertThat(revealed(0, DIGEST_A, RUNTIME).observedSeconds(TIMEOUT)).isEqualTo(RUNTIME);
            // reported more than the ledger saw between assignment (NOW) and commit (NOW + RUNTIME + 10): capped
            assertThat(revealed(0, DIGEST_A, 10_000).observedSeconds(TIMEOUT)).isEqualTo(RUNTIME + 10);
        }

        @Test
        void is_zero_without_a_commit() {
            assertThat(Fixtures.assigned(0).observedSeconds(TIMEOUT)).isZero();
        }

        @Test
        void a_commit_or_reveal_of_another_attempt_does_not_count_for_this_one() {
            var state = revealed(0, DIGEST_A);
            var r = state.replica();
            var nextAttempt = new Replica(r.jobId(), r.index(), 2, 0, r.nodeId(), r.nodeOrg(), r.offerId(), 0, 40, 2_000,
                    NOW, r.commitDeadline(), Replica.Status.ASSIGNED);

            var combined = new ReplicaState(nextAttempt, state.commit(), state.reveal());

            assertThat(combined.committed()).isFalse();
            assertThat(combined.revealed()).isFalse();
        }
    }
}
