package io.gridledger.devnet.ledger;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.ledger.state.UpdateBatch;
import io.gridledger.devnet.ledger.state.Version;
import io.gridledger.devnet.ledger.state.VersionedValue;
import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.msp.LocalSigningIdentity;
import io.gridledger.devnet.msp.SigningIdentity;
import io.gridledger.devnet.msp.TestCrypto;
import io.gridledger.devnet.policy.SignaturePolicies;
import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.RwSet;
import io.gridledger.devnet.testing.TransactionBuilder;
import org.hyperledger.fabric.protos.common.Envelope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static io.gridledger.devnet.testing.Consortium.CHAINCODE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.BAD_CREATOR_SIGNATURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.BAD_PROPOSAL_TXID;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.DUPLICATE_TXID;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.ILLEGAL_WRITESET;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.INVALID_CHAINCODE;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.MVCC_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.PHANTOM_READ_CONFLICT;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.TARGET_CHAIN_NOT_FOUND;
import static org.hyperledger.fabric.protos.peer.TxValidationCode.VALID;

/**
 * Each validation code devnet gives, on a transaction built and signed for real next to a valid one, checked against
 * what a Fabric 2.5 peer decides (core/committer/txvalidator/v20, core/common/validation/statebased,
 * core/ledger/kvledger/txmgmt/validation). An invalid transaction must leave state as it was.
 */
class BlockValidatorTest {

    private static final Consortium consortium = Consortium.shared();
    private static final LocalSigningIdentity client = consortium.client("Org1MSP");
    private static final LocalSigningIdentity peer1 = consortium.peer("Org1MSP");
    private static final LocalSigningIdentity peer2 = consortium.peer("Org2MSP");
    private static final LocalSigningIdentity peer3 = consortium.peer("Org3MSP");
    private static final ByteString ONLY_ORG3 = SignaturePolicies.parse("OR('Org3MSP.peer')").toByteString();

    private final WorldState state = new WorldState();
    private final Set<String> committedTxIds = new HashSet<>();
    private BlockValidator validator = consortium.validator();
    private long height;

    @BeforeEach
    void seedState() {
        // Block 1: "asset-1" and "asset-2" exist; "guarded" exists with a key-level policy only Org3's peer satisfies.
        var batch = new UpdateBatch(state);
        var time = Timestamp.newBuilder().setSeconds(1).build();
        batch.put(CHAINCODE, "asset-1", utf8("one"), new Version(1, 0), "seed-0", time);
        batch.put(CHAINCODE, "asset-2", utf8("two"), new Version(1, 1), "seed-1", time);
        batch.put(CHAINCODE, "guarded", utf8("three"), new Version(1, 2), "seed-2", time);
        batch.putMetadata(CHAINCODE, "guarded", new TreeMap<>(Map.of(VersionedValue.VALIDATION_PARAMETER, ONLY_ORG3)),
                new Version(1, 2));
        state.commit(batch);
        height = 2;
    }

    @Test
    void a_valid_transaction_writes_its_keys_at_its_height() {
        var block = commit(write("asset-1", "changed").results(RwSet.in(CHAINCODE)
                .read("asset-1", new Version(1, 0)).write("asset-1", "changed").delete("asset-2").build()));

        assertThat(block.codes()).containsExactly(VALID);
        assertThat(state.get(CHAINCODE, "asset-1")).hasValueSatisfying(v -> {
            assertThat(v.value()).isEqualTo(utf8("changed"));
            assertThat(v.version()).isEqualTo(new Version(2, 0));
        });
        assertThat(state.get(CHAINCODE, "asset-2")).isEmpty();
    }

    @Nested
    class TransactionIds {

        @Test
        void an_id_that_is_not_the_hash_of_nonce_and_creator_is_a_bad_proposal_txid() {
            var block = validate(write("a", "x").txId("0".repeat(64)), write("b", "y"));

            assertThat(block.codes()).containsExactly(BAD_PROPOSAL_TXID, VALID);
            assertNotApplied(block, "a");
        }

        @Test
        void the_second_transaction_with_an_id_in_one_block_is_a_duplicate() {
            var first = write("a", "first");
            var second = write("b", "second").nonce(first.nonce());

            var block = validate(first, second, write("c", "other"));

            assertThat(block.codes()).containsExactly(VALID, DUPLICATE_TXID, VALID);
            assertThat(block.txIds().get(1)).isEqualTo(first.txId());
            assertNotApplied(block, "b");
        }

        @Test
        void a_transaction_whose_id_is_already_on_the_ledger_is_a_duplicate() {
            var original = write("a", "first");
            commit(original);

            var block = validate(write("b", "again").nonce(original.nonce()), write("c", "other"));

            assertThat(block.codes()).containsExactly(DUPLICATE_TXID, VALID);
            assertNotApplied(block, "b");
        }

        @Test
        void only_a_transaction_that_passed_endorsement_validation_claims_its_id_in_the_block() {
            // Fabric marks in-block duplicates among the transactions its first pass found valid (markTXIdDuplicates).
            var genuine = write("a", "genuine");
            var forgedCopy = write("a", "forged").nonce(genuine.nonce()).signedBy(consortium.client("Org2MSP"));

            var block = validate(forgedCopy, genuine);

            assertThat(block.codes()).containsExactly(BAD_CREATOR_SIGNATURE, VALID);
            assertThat(state.get(CHAINCODE, "a")).isEmpty();
            assertThat(block.updates().get(CHAINCODE, "a")).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(utf8("genuine")));
        }

        @Test
        void a_transaction_that_later_fails_mvcc_still_claims_its_id_in_the_block() {
            var stale = write("asset-1", "stale").results(RwSet.in(CHAINCODE)
                    .read("asset-1", new Version(0, 9)).write("asset-1", "stale").build());
            var twin = write("b", "twin").nonce(stale.nonce());

            var block = validate(stale, twin);

            assertThat(block.codes()).containsExactly(MVCC_READ_CONFLICT, DUPLICATE_TXID);
        }

        @Test
        void the_creators_signature_is_judged_before_the_ledger_is_searched_for_the_id() {
            var original = write("a", "first");
            commit(original);

            var block = validate(write("a", "forged").nonce(original.nonce()).signedBy(consortium.client("Org2MSP")));

            assertThat(block.codes()).containsExactly(BAD_CREATOR_SIGNATURE);
        }
    }

    @Nested
    class Creators {

        @Test
        void a_signature_by_another_key_is_a_bad_creator_signature() {
            var block = validate(write("a", "x").signedBy(consortium.client("Org2MSP")), write("b", "y"));

            assertThat(block.codes()).containsExactly(BAD_CREATOR_SIGNATURE, VALID);
            assertNotApplied(block, "a");
        }

        @Test
        void an_expired_certificate_is_a_bad_creator_signature() {
            var expired = TestCrypto.expired(consortium.crypto(), "Org1MSP");

            var block = validate(TransactionBuilder.proposedBy(expired).results(RwSet.in(CHAINCODE).write("a", "x").build())
                    .endorsedBy(peer1, peer2), write("b", "y"));

            assertThat(block.codes()).containsExactly(BAD_CREATOR_SIGNATURE, VALID);
        }

        @Test
        void an_identity_of_an_org_outside_the_channel_is_a_bad_creator_signature() {
            var orderer = consortium.orderer();

            var block = validate(TransactionBuilder.proposedBy(orderer).results(RwSet.in(CHAINCODE).write("a", "x").build())
                    .endorsedBy(peer1, peer2), write("b", "y"));

            assertThat(block.codes()).containsExactly(BAD_CREATOR_SIGNATURE, VALID);
        }

        @Test
        void a_transaction_for_another_channel_is_not_for_this_chain() {
            var block = validate(write("a", "x").channel("elsewhere"), write("b", "y"));

            assertThat(block.codes()).containsExactly(TARGET_CHAIN_NOT_FOUND, VALID);
        }
    }

    @Nested
    class EndorsementPolicies {

        @Test
        void one_org_of_three_does_not_satisfy_the_majority_policy() {
            var block = validate(TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("a", "x").build())
                    .endorsedBy(peer1), write("b", "y"));

            assertThat(block.codes()).containsExactly(ENDORSEMENT_POLICY_FAILURE, VALID);
            assertNotApplied(block, "a");
        }

        @Test
        void endorsements_by_a_client_or_with_a_bad_signature_do_not_count() {
            var block = validate(
                    TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("a", "x").build())
                            .endorsedBy(peer1, consortium.client("Org2MSP")),
                    TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("b", "x").build())
                            .endorsedBy(peer1, forgery(peer2, peer3)));

            assertThat(block.codes()).containsExactly(ENDORSEMENT_POLICY_FAILURE, ENDORSEMENT_POLICY_FAILURE);
        }

        @Test
        void a_valid_endorsement_counts_after_a_bad_one_by_the_same_peer() {
            // Fabric drops a bad signature before it remembers the identity (SignatureSetToValidIdentities).
            var block = validate(TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("a", "x").build())
                    .endorsedBy(forgery(peer1, peer3), peer1, peer2));

            assertThat(block.codes()).containsExactly(VALID);
        }

        @Test
        void a_key_level_policy_replaces_the_chaincode_policy_for_its_key() {
            var block = validate(
                    TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("guarded", "x").build())
                            .endorsedBy(peer1, peer2),
                    TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("guarded", "y").build())
                            .endorsedBy(peer3));

            assertThat(block.codes()).containsExactly(ENDORSEMENT_POLICY_FAILURE, VALID);
            assertThat(block.updates().get(CHAINCODE, "guarded")).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(utf8("y")));
        }

        @Test
        void a_key_level_policy_set_earlier_in_the_block_fails_a_later_write_of_the_key() {
            var setPolicy = write("asset-1", "v").results(RwSet.in(CHAINCODE)
                    .metadata("asset-1", VersionedValue.VALIDATION_PARAMETER, ONLY_ORG3).build());
            var laterWrite = write("asset-1", "later");

            var block = validate(setPolicy, laterWrite, write("b", "y"));

            assertThat(block.codes()).containsExactly(VALID, ENDORSEMENT_POLICY_FAILURE, VALID);
            assertThat(block.updates().get(CHAINCODE, "asset-1")).hasValueSatisfying(v -> {
                assertThat(v.value()).isEqualTo(utf8("one"));
                assertThat(v.validationParameter()).contains(ONLY_ORG3);
            });
        }

        @Test
        void a_later_write_fails_even_when_its_endorsements_satisfy_the_policy_set_earlier_in_the_block() {
            // Fabric: ValidationParameterUpdatedError, whatever the endorsements (statebased.vpmanagerimpl).
            var setPolicy = write("asset-1", "v").results(RwSet.in(CHAINCODE)
                    .metadata("asset-1", VersionedValue.VALIDATION_PARAMETER, ONLY_ORG3).build());
            var laterWrite = TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("asset-1", "later").build())
                    .endorsedBy(peer1, peer2, peer3);

            var block = validate(setPolicy, laterWrite);

            assertThat(block.codes()).containsExactly(VALID, ENDORSEMENT_POLICY_FAILURE);
        }

        @Test
        void a_policy_change_that_fails_mvcc_still_fails_a_later_write_of_the_key() {
            // The dependency is on the earlier transaction passing endorsement validation, which comes before MVCC.
            var setPolicy = write("asset-1", "v").results(RwSet.in(CHAINCODE).read("asset-2", new Version(0, 0))
                    .metadata("asset-1", VersionedValue.VALIDATION_PARAMETER, ONLY_ORG3).build());

            var block = validate(setPolicy, write("asset-1", "later"));

            assertThat(block.codes()).containsExactly(MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE);
        }

        @Test
        void key_level_policies_are_read_from_committed_state_not_from_earlier_writes_in_the_block() {
            var deleteGuarded = TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).delete("guarded").build())
                    .endorsedBy(peer3);
            var recreate = write("guarded", "again");

            var block = validate(deleteGuarded, recreate);

            assertThat(block.codes()).containsExactly(VALID, ENDORSEMENT_POLICY_FAILURE);
            assertThat(block.updates().get(CHAINCODE, "guarded")).isEmpty();
        }

        @Test
        void a_write_to_another_defined_chaincodes_namespace_must_satisfy_that_chaincodes_policy() {
            validator = new BlockValidator(Consortium.CHANNEL, consortium.msps(), Set.of(CHAINCODE, "audit"),
                    consortium.requirements(Map.of(CHAINCODE, Consortium.ENDORSEMENT_POLICY,
                            "audit", "OR('Org3MSP.peer')")));
            var rwset = RwSet.in(CHAINCODE).write("a", "x").and("audit").write("entry", "x").build();

            var block = validate(
                    TransactionBuilder.proposedBy(client).results(rwset).endorsedBy(peer1, peer2),
                    TransactionBuilder.proposedBy(client).results(rwset).endorsedBy(peer1, peer2, peer3));

            assertThat(block.codes()).containsExactly(ENDORSEMENT_POLICY_FAILURE, VALID);
            assertThat(block.updates().get("audit", "entry")).isPresent();
        }
    }

    @Nested
    class Chaincodes {

        @Test
        void a_transaction_of_an_undefined_chaincode_is_an_invalid_chaincode() {
            var block = validate(write("a", "x").chaincode("unknown").results(RwSet.in("unknown").write("a", "x").build()),
                    write("b", "y"));

            assertThat(block.codes()).containsExactly(INVALID_CHAINCODE, VALID);
        }

        @Test
        void a_write_to_the_namespace_of_an_undefined_chaincode_is_an_invalid_chaincode() {
            var block = validate(write("a", "x").results(RwSet.in(CHAINCODE).write("a", "x").and("lscc").write("b", "x").build()),
                    write("b", "y"));

            assertThat(block.codes()).containsExactly(INVALID_CHAINCODE, VALID);
            assertNotApplied(block, "a");
        }

        @Test
        void a_chaincode_action_of_another_chaincode_than_the_header_names_is_an_invalid_chaincode() {
            var block = validate(write("a", "x").actionChaincode("other", "1.0"), write("b", "y").actionChaincode(CHAINCODE, ""));

            assertThat(block.codes()).containsExactly(INVALID_CHAINCODE, INVALID_CHAINCODE);
        }

        @Test
        void a_namespace_twice_in_the_read_write_set_is_an_illegal_writeset() {
            var block = validate(write("a", "x").results(RwSet.in(CHAINCODE).write("a", "x").and(CHAINCODE).write("b", "x").build()),
                    write("c", "y"));

            assertThat(block.codes()).containsExactly(ILLEGAL_WRITESET, VALID);
            assertNotApplied(block, "a");
            assertNotApplied(block, "b");
        }
    }

    @Nested
    class ReadConflicts {

        @Test
        void a_read_of_a_version_since_replaced_is_an_mvcc_conflict() {
            var block = validate(readAndWrite("asset-1", new Version(0, 3), "x"), readAndWrite("asset-2", new Version(1, 1), "y"));

            assertThat(block.codes()).containsExactly(MVCC_READ_CONFLICT, VALID);
            assertNotApplied(block, "asset-1");
        }

        @Test
        void a_read_of_a_key_written_earlier_in_the_block_is_an_mvcc_conflict() {
            var block = validate(write("asset-1", "first"), readAndWrite("asset-1", new Version(1, 0), "second"),
                    readAndWrite("new-key", null, "created"), readAndWrite("new-key", null, "again"));

            assertThat(block.codes()).containsExactly(VALID, MVCC_READ_CONFLICT, VALID, MVCC_READ_CONFLICT);
            assertThat(block.updates().get(CHAINCODE, "asset-1")).hasValueSatisfying(v -> assertThat(v.value()).isEqualTo(utf8("first")));
        }

        @Test
        void a_read_claiming_the_version_an_earlier_transaction_of_the_block_writes_is_still_a_conflict() {
            // Fabric refuses any read of a key the block's earlier valid transactions updated (updates.Exists).
            var block = validate(write("asset-1", "first"), readAndWrite("asset-1", new Version(height, 0), "second"));

            assertThat(block.codes()).containsExactly(VALID, MVCC_READ_CONFLICT);
        }

        @Test
        void an_insert_into_a_scanned_range_earlier_in_the_block_is_a_phantom_read() {
            var scan = Map.of("asset-1", new Version(1, 0), "asset-2", new Version(1, 1));

            var block = validate(write("asset-15", "inserted"), scanAndWrite("asset-", "asset-~", true, scan, "out"));

            assertThat(block.codes()).containsExactly(VALID, PHANTOM_READ_CONFLICT);
            assertNotApplied(block, "out");
        }

        @Test
        void a_change_or_delete_inside_a_scanned_range_is_a_phantom_read() {
            var scan = Map.of("asset-1", new Version(1, 0), "asset-2", new Version(1, 1));

            var changed = validate(write("asset-2", "changed"), scanAndWrite("asset-", "asset-~", true, scan, "out"));
            var deleted = validate(TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).delete("asset-1").build())
                    .endorsedBy(peer1, peer2), scanAndWrite("asset-", "asset-~", true, scan, "out"));

            assertThat(changed.codes()).containsExactly(VALID, PHANTOM_READ_CONFLICT);
            assertThat(deleted.codes()).containsExactly(VALID, PHANTOM_READ_CONFLICT);
        }

        @Test
        void an_insert_after_the_last_key_of_a_range_left_midway_is_not_a_phantom() {
            // A scan not exhausted covers [start, last key returned] only.
            var scan = Map.of("asset-1", new Version(1, 0));

            var block = validate(write("asset-15", "inserted"), scanAndWrite("asset-", "asset-1", false, scan, "out"));

            assertThat(block.codes()).containsExactly(VALID, VALID);
        }
    }

    @Test
    void invalid_transactions_leave_state_values_metadata_and_history_untouched() {
        var block = commit(
                write("asset-1", "x").txId("f".repeat(64)),
                write("asset-1", "x").signedBy(consortium.client("Org3MSP")),
                TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write("asset-1", "x")
                        .metadata("asset-1", VersionedValue.VALIDATION_PARAMETER, ONLY_ORG3).build()).endorsedBy(peer2),
                readAndWrite("asset-1", new Version(0, 1), "x"),
                write("asset-2", "the valid one"));

        assertThat(block.codes()).containsExactly(BAD_PROPOSAL_TXID, BAD_CREATOR_SIGNATURE, ENDORSEMENT_POLICY_FAILURE,
                MVCC_READ_CONFLICT, VALID);
        assertThat(state.get(CHAINCODE, "asset-1")).hasValueSatisfying(v -> {
            assertThat(v.value()).isEqualTo(utf8("one"));
            assertThat(v.version()).isEqualTo(new Version(1, 0));
            assertThat(v.metadata()).isEmpty();
        });
        assertThat(state.history(CHAINCODE, "asset-1")).extracting(h -> h.txId()).containsExactly("seed-0");
        assertThat(state.history(CHAINCODE, "asset-2")).hasSize(2);
    }

    /** A transaction by Org1's client writing {@code key}, endorsed by Org1's and Org2's peers (a majority). */
    private static TransactionBuilder write(String key, String value) {
        return TransactionBuilder.proposedBy(client).results(RwSet.in(CHAINCODE).write(key, value).build())
                .endorsedBy(peer1, peer2);
    }

    private static TransactionBuilder readAndWrite(String key, Version read, String value) {
        return write(key, value).results(RwSet.in(CHAINCODE).read(key, read).write(key, value).build());
    }

    /** A transaction that scanned [start, end) and got {@code results} (in key order), then wrote {@code writeKey}. */
    private static TransactionBuilder scanAndWrite(String start, String end, boolean exhausted, Map<String, Version> results,
                                                   String writeKey) {
        var rwset = RwSet.in(CHAINCODE).range(start, end, exhausted, new TreeMap<>(results)).write(writeKey, "x").build();
        return write(writeKey, "x").results(rwset);
    }

    /** An endorsement that claims to be {@code claimed}'s but is signed with {@code signer}'s key. */
    private static SigningIdentity forgery(SigningIdentity claimed, SigningIdentity signer) {
        return new SigningIdentity() {
            @Override
            public String mspId() {
                return claimed.mspId();
            }

            @Override
            public ByteString serialized() {
                return claimed.serialized();
            }

            @Override
            public byte[] sign(byte[] message) {
                return signer.sign(message);
            }
        };
    }

    private ValidatedBlock validate(TransactionBuilder... transactions) {
        var envelopes = new ArrayList<Envelope>();
        for (var tx : transactions) {
            envelopes.add(tx.envelope());
        }
        return validator.validate(Blocks.create(height, new byte[32], envelopes), state, committedTxIds::contains);
    }

    /** Validates the next block and commits it: its state updates, and every transaction id it holds. */
    private ValidatedBlock commit(TransactionBuilder... transactions) {
        var block = validate(transactions);
        state.commit(block.updates());
        committedTxIds.addAll(block.txIds());
        height++;
        return block;
    }

    private void assertNotApplied(ValidatedBlock block, String key) {
        Optional<VersionedValue> before = state.get(CHAINCODE, key);
        assertThat(block.updates().get(CHAINCODE, key)).as("state of %s after the block", key).isEqualTo(before);
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
