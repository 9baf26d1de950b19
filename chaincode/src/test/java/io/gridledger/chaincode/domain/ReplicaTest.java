package io.gridledger.chaincode.domain;

import io.gridledger.chaincode.domain.Replica.Status;
import io.gridledger.chaincode.domain.Replica.Verdict;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.gridledger.chaincode.domain.Fixtures.DIGEST_A;
import static io.gridledger.chaincode.domain.Fixtures.DIGEST_B;
import static io.gridledger.chaincode.domain.Fixtures.NOW;
import static io.gridledger.chaincode.domain.Fixtures.RUNTIME;
import static io.gridledger.chaincode.domain.Fixtures.assigned;
import static io.gridledger.chaincode.domain.Fixtures.committed;
import static io.gridledger.chaincode.domain.Fixtures.hex;
import static io.gridledger.chaincode.domain.Fixtures.params;
import static io.gridledger.chaincode.domain.Fixtures.released;
import static io.gridledger.chaincode.domain.Fixtures.replicaJob;
import static io.gridledger.chaincode.domain.Fixtures.replicaNode;
import static io.gridledger.chaincode.domain.Fixtures.revealed;
import static io.gridledger.chaincode.domain.Fixtures.salt;
import static io.gridledger.chaincode.domain.Fixtures.slot;
import static io.gridledger.chaincode.domain.Fixtures.timedOut;
import static io.gridledger.chaincode.domain.Rejections.assertInvalid;
import static io.gridledger.chaincode.domain.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

class ReplicaTest {

    private static final long TIMEOUT = replicaJob().timeoutSeconds();

    @Nested
    class Assign {

        @Test
        void takes_the_slot_and_its_price_at_assignment() {
            var slot = slot("Org2MSP/node-b", 42);

            var replica = Replica.assign("job-r", 1, 2, slot, replicaJob(), params(), NOW);

            assertThat(replica.jobId()).isEqualTo("job-r");
            assertThat(replica.index()).isEqualTo(1);
            assertThat(replica.attempt()).isEqualTo(2);
            assertThat(replica.nodeId()).isEqualTo("Org2MSP/node-b");
            assertThat(replica.nodeOrg()).isEqualTo("Org2MSP");
            assertThat(replica.offerId()).isEqualTo("offer-node-b");
            assertThat(replica.slot()).isZero();
            assertThat(replica.unitPrice()).isEqualTo(42);
            assertThat(replica.assignedAt()).isEqualTo(NOW);
            assertThat(replica.status()).isEqualTo(Status.ASSIGNED);
            assertThat(replica.commitment()).isNull();
            assertThat(replica.digest()).isNull();
            assertThat(replica.verdict()).isNull();
        }

        @Test
        void must_commit_within_the_timeout_plus_the_commit_grace() {
            var replica = assigned(0);

            assertThat(replica.commitDeadline()).isEqualTo(NOW + TIMEOUT + params().commitGraceSeconds());
        }
    }

    @Nested
    class Commit {

        private final String commitment = Commitments.commitment(DIGEST_A, salt(0));

        @Test
        void records_the_commitment_while_assigned() {
            var replica = assigned(0).commit(commitment, NOW + 10);

            assertThat(replica.status()).isEqualTo(Status.COMMITTED);
            assertThat(replica.commitment()).isEqualTo(commitment);
            assertThat(replica.digest()).isNull();
        }

        @Test
        void accepts_a_commit_at_the_commit_deadline() {
            var replica = assigned(0);

            assertThat(replica.commit(commitment, replica.commitDeadline()).status()).isEqualTo(Status.COMMITTED);
        }

        @Test
        void rejects_a_commit_after_the_commit_deadline() {
            var replica = assigned(0);

            assertRejected(() -> replica.commit(commitment, replica.commitDeadline() + 1), ErrorCode.DEADLINE_PASSED)
                    .hasMessage("commit deadline " + replica.commitDeadline() + " of replica 0 of job job-r has passed");
        }

        @Test
        void commits_only_once() {
            var replica = committed(0, DIGEST_A);

            assertRejected(() -> replica.commit(Commitments.commitment(DIGEST_B, salt(0)), NOW + 20), ErrorCode.WRONG_STATE)
                    .hasMessage("replica 0 of job job-r is COMMITTED; it can commit only once, while ASSIGNED");
        }

        @Test
        void a_timed_out_replica_cannot_commit_even_before_its_deadline() {
            assertRejected(() -> timedOut(0).commit(commitment, NOW + 1), ErrorCode.WRONG_STATE)
                    .hasMessageContaining("is TIMED_OUT");
        }

        @Test
        void reports_the_wrong_state_before_the_passed_deadline() {
            var replica = committed(0, DIGEST_A);

            assertRejected(() -> replica.commit(commitment, replica.commitDeadline() + 1), ErrorCode.WRONG_STATE);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"not-hex", "ABCDEF"})
        void rejects_a_commitment_that_is_not_a_sha256(String bad) {
            assertInvalid(() -> assigned(0).commit(bad, NOW + 1))
                    .hasMessageContaining("commitment must be a SHA-256 as 64 lowercase hex characters");
        }

        @Test
        void rejects_an_uppercase_commitment() {
            assertInvalid(() -> assigned(0).commit(commitment.toUpperCase(), NOW + 1)).hasMessageContaining("commitment");
        }
    }

    @Nested
    class Reveal {

        private final Replica committed = committed(0, DIGEST_A);

        @Test
        void opens_a_commitment_with_its_digest_and_salt() {
            var replica = committed.reveal(DIGEST_A, salt(0), 95, TIMEOUT);

            assertThat(replica.status()).isEqualTo(Status.REVEALED);
            assertThat(replica.digest()).isEqualTo(DIGEST_A);
            assertThat(replica.runtimeSeconds()).isEqualTo(95);
            assertThat(replica.commitment()).isEqualTo(committed.commitment());
            assertThat(replica.verdict()).isNull();
        }

        @Test
        void rejects_another_digest_as_a_commitment_mismatch() {
            assertRejected(() -> committed.reveal(DIGEST_B, salt(0), 95, TIMEOUT), ErrorCode.COMMITMENT_MISMATCH)
                    .hasMessage("digest and salt do not hash to the commitment of replica 0 of job job-r");
        }

        @Test
        void rejects_another_salt_as_a_commitment_mismatch() {
            assertRejected(() -> committed.reveal(DIGEST_A, salt(1), 95, TIMEOUT), ErrorCode.COMMITMENT_MISMATCH);
        }

        @Test
        void requires_a_committed_replica() {
            assertRejected(() -> assigned(0).reveal(DIGEST_A, salt(0), 95, TIMEOUT), ErrorCode.WRONG_STATE)
                    .hasMessage("replica 0 of job job-r is ASSIGNED; only a COMMITTED replica reveals");
            assertRejected(() -> revealed(0, DIGEST_A).reveal(DIGEST_A, salt(0), 95, TIMEOUT), ErrorCode.WRONG_STATE)
                    .hasMessageContaining("is REVEALED");
            assertRejected(() -> timedOut(0).reveal(DIGEST_A, salt(0), 95, TIMEOUT), ErrorCode.WRONG_STATE);
        }

        @Test
        void caps_the_runtime_at_the_timeout() {
            var replica = committed.reveal(DIGEST_A, salt(0), TIMEOUT * 10, TIMEOUT);

            assertThat(replica.runtimeSeconds()).isEqualTo(TIMEOUT);
        }

        @Test
        void accepts_a_runtime_of_zero() {
            assertThat(committed.reveal(DIGEST_A, salt(0), 0, TIMEOUT).runtimeSeconds()).isZero();
        }

        @Test
        void rejects_a_negative_runtime_or_one_beyond_the_longest_timeout() {
            assertInvalid(() -> committed.reveal(DIGEST_A, salt(0), -1, TIMEOUT))
                    .hasMessage("runtimeSeconds must be between 0 and 2592000, got -1");
            assertInvalid(() -> committed.reveal(DIGEST_A, salt(0), JobSpec.MAX_TIMEOUT_SECONDS + 1, TIMEOUT))
                    .hasMessageContaining("runtimeSeconds");
        }

        @Test
        void rejects_a_digest_that_is_not_a_sha256() {
            assertInvalid(() -> committed.reveal("abc", salt(0), 1, TIMEOUT))
                    .hasMessageContaining("digest must be a SHA-256 as 64 lowercase hex characters");
        }

        @Test
        void accepts_salts_of_16_to_64_bytes() {
            for (var salt : new String[] {hex(32), hex(64), hex(128)}) {
                var replica = assigned(0).commit(Commitments.commitment(DIGEST_A, salt), NOW + 1);

                assertThat(replica.reveal(DIGEST_A, salt, 1, TIMEOUT).status()).isEqualTo(Status.REVEALED);
            }
        }

        @ParameterizedTest
        @ValueSource(ints = {30, 130})
        void rejects_a_salt_shorter_than_16_bytes_or_longer_than_64(int hexChars) {
            var salt = hex(hexChars);
            var replica = assigned(0).commit(Commitments.commitment(DIGEST_A, salt), NOW + 1);

            assertInvalid(() -> replica.reveal(DIGEST_A, salt, 1, TIMEOUT))
                    .hasMessage("salt must be 16 to 64 random bytes as lowercase hex");
        }

        @Test
        void rejects_a_salt_that_is_not_lowercase_hex_bytes() {
            assertInvalid(() -> committed.reveal(DIGEST_A, null, 1, TIMEOUT)).hasMessageContaining("salt");
            assertInvalid(() -> committed.reveal(DIGEST_A, hex(33), 1, TIMEOUT)).hasMessageContaining("salt");
            assertInvalid(() -> committed.reveal(DIGEST_A, salt(0).toUpperCase(), 1, TIMEOUT)).hasMessageContaining("salt");
            assertInvalid(() -> committed.reveal(DIGEST_A, "zz".repeat(16), 1, TIMEOUT)).hasMessageContaining("salt");
        }
    }

    @Nested
    class TimeoutAndJudgement {

        @Test
        void a_timed_out_replica_is_a_no_show() {
            var replica = timedOut(0);

            assertThat(replica.status()).isEqualTo(Status.TIMED_OUT);
            assertThat(replica.verdict()).isEqualTo(Verdict.NO_SHOW);
        }

        @Test
        void a_judged_revealed_replica_stays_revealed_with_its_verdict() {
            var replica = revealed(0, DIGEST_A).judged(Verdict.AGREED);

            assertThat(replica.status()).isEqualTo(Status.REVEALED);
            assertThat(replica.verdict()).isEqualTo(Verdict.AGREED);
            assertThat(replica.digest()).isEqualTo(DIGEST_A);
            assertThat(replica.runtimeSeconds()).isEqualTo(RUNTIME);
        }

        @Test
        void a_judged_replica_that_did_not_reveal_is_released() {
            assertThat(released(0).status()).isEqualTo(Status.RELEASED);
            assertThat(released(0).verdict()).isEqualTo(Verdict.NO_SHOW);
            assertThat(released(0).holdsSlot()).isFalse();
            assertThat(assigned(0).judged(Verdict.UNDECIDED).status()).isEqualTo(Status.RELEASED);
        }

        @ParameterizedTest
        @EnumSource(value = Status.class, names = {"ASSIGNED", "COMMITTED", "REVEALED"})
        void holds_its_slot_until_judged(Status status) {
            var replica = switch (status) {
                case ASSIGNED -> assigned(0);
                case COMMITTED -> committed(0, DIGEST_A);
                default -> revealed(0, DIGEST_A);
            };

            assertThat(replica.holdsSlot()).isTrue();
            assertThat(replica.judged(Verdict.UNDECIDED).holdsSlot()).isFalse();
        }

        @Test
        void a_timed_out_replica_holds_no_slot() {
            assertThat(timedOut(0).holdsSlot()).isFalse();
        }

        @Test
        void keeps_who_ran_it_through_every_transition() {
            var replica = revealed(3, DIGEST_A).judged(Verdict.DISSENTED);

            assertThat(replica.nodeId()).isEqualTo(replicaNode(3));
            assertThat(replica.index()).isEqualTo(3);
            assertThat(replica.unitPrice()).isEqualTo(40);
            assertThat(replica.assignedAt()).isEqualTo(NOW);
        }
    }
}
