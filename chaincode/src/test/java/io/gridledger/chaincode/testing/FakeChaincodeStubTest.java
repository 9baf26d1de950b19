package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.contract.ContractRuntimeException;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.shim.ChaincodeException;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.ResponseUtils;
import org.hyperledger.fabric.shim.ledger.CompositeKey;
import org.hyperledger.fabric.shim.ledger.KeyModification;
import org.hyperledger.fabric.shim.ledger.KeyValue;
import org.hyperledger.fabric.shim.ledger.QueryResultsIterator;
import org.hyperledger.fabric.shim.ledger.QueryResultsIteratorWithMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeChaincodeStubTest {

    private static TestIdentities ids;
    private static Identity alice;
    private static Identity bob;

    private TestLedger ledger;

    @BeforeAll
    static void identities() {
        ids = TestIdentities.create("Org1MSP", "Org2MSP");
        alice = ids.client("Org1MSP", "alice");
        bob = ids.client("Org2MSP", "bob");
    }

    @BeforeEach
    void newLedger() {
        ledger = new TestLedger();
    }

    /** Runs {@code body} on a fresh stub and commits what it wrote. */
    private FakeChaincodeStub commitTx(Consumer<ChaincodeStub> body) {
        var stub = ledger.newStub(alice, "test");
        body.accept(stub);
        assertThat(ledger.commit(stub)).isEqualTo(TxValidationCode.VALID);
        return stub;
    }

    private void seed(String... keysAndValues) {
        commitTx(stub -> {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                stub.putState(keysAndValues[i], bytes(keysAndValues[i + 1]));
            }
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static List<String> keys(Iterable<KeyValue> results) {
        var keys = new ArrayList<String>();
        results.forEach(kv -> keys.add(kv.getKey()));
        return keys;
    }

    @Nested
    class ReadsAndWrites {

        @Test
        void a_transaction_does_not_read_its_own_writes() {
            seed("account", "10");
            var stub = ledger.newStub(alice, "test");

            stub.putState("account", bytes("20"));
            stub.putState("fresh", bytes("1"));

            assertThat(stub.getStringState("account")).isEqualTo("10");
            assertThat(stub.getState("fresh")).isEmpty();
        }

        @Test
        void a_transaction_does_not_see_its_own_writes_in_range_queries() {
            seed("a", "1");
            var stub = ledger.newStub(alice, "test");

            stub.putState("b", bytes("2"));
            stub.delState("a");

            assertThat(keys(stub.getStateByRange("", ""))).containsExactly("a");
        }

        @Test
        void reading_a_missing_key_returns_an_empty_array_not_null() {
            var stub = ledger.newStub(alice, "test");

            assertThat(stub.getState("missing")).isNotNull().isEmpty();
            assertThat(stub.getStringState("missing")).isEmpty();
        }

        @Test
        void reads_accept_an_empty_key_like_the_peer_but_not_a_key_that_is_not_utf8() {
            var stub = ledger.newStub(alice, "test");

            assertThat(stub.getState("")).isEmpty();
            assertThatThrownBy(() -> stub.getState("bad\udc00")).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void a_key_written_twice_keeps_the_last_write() {
            var stub = ledger.newStub(alice, "test");

            stub.putState("k", bytes("first"));
            stub.putState("k", bytes("second"));

            assertThat(stub.writeSet()).containsOnlyKeys("k");
            assertThat(stub.writeSet().get("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("second")));
        }

        @Test
        void a_delete_after_a_put_is_a_delete_and_a_put_after_a_delete_is_a_put() {
            var stub = ledger.newStub(alice, "test");

            stub.putState("deleted", bytes("v"));
            stub.delState("deleted");
            stub.delState("revived");
            stub.putState("revived", bytes("v"));

            assertThat(stub.writeSet().get("deleted")).isEmpty();
            assertThat(stub.writeSet().get("revived")).isPresent();
        }

        @Test
        void putting_an_empty_value_is_a_delete_as_on_the_peer() {
            seed("k", "v");

            commitTx(stub -> stub.putState("k", new byte[0]));

            assertThat(ledger.state("k")).isEmpty();
            assertThat(ledger.history("k").get(0).isDeleted()).isTrue();
        }

        @Test
        void committed_writes_and_deletes_are_visible_to_the_next_transaction() {
            seed("keep", "1", "drop", "2");

            commitTx(stub -> {
                stub.putState("keep", bytes("3"));
                stub.delState("drop");
            });

            var next = ledger.newStub(alice, "test");
            assertThat(next.getStringState("keep")).isEqualTo("3");
            assertThat(next.getState("drop")).isEmpty();
        }

        @Test
        void the_stub_copies_values_so_later_mutation_changes_nothing() {
            var value = bytes("v");
            var stub = ledger.newStub(alice, "test");
            stub.putState("k", value);
            value[0] = 'x';
            ledger.commit(stub);

            var read = ledger.newStub(alice, "test").getState("k");
            read[0] = 'y';

            assertThat(ledger.stateString("k")).contains("v");
        }

        @Test
        void put_state_rejects_a_null_or_empty_key_a_null_value_and_a_key_that_is_not_utf8() {
            var stub = ledger.newStub(alice, "test");

            assertThatThrownBy(() -> stub.putState(null, bytes("v"))).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> stub.putState("", bytes("v"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stub.putState("k", null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> stub.putState("bad\ud800key", bytes("v")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("UTF-8");
            assertThat(stub.writeSet()).isEmpty();
        }

        @Test
        void keys_outside_the_basic_multilingual_plane_are_valid() {
            commitTx(stub -> stub.putState("emoji-\uD83D\uDE00", bytes("v")));

            assertThat(ledger.stateString("emoji-\uD83D\uDE00")).contains("v");
        }
    }

    @Nested
    class RangeQueries {

        @BeforeEach
        void state() {
            var compositeKey = new CompositeKey("job", "j1").toString();
            seed("a", "1", "b", "2", "c", "3", compositeKey, "composite");
        }

        @Test
        void empty_start_and_end_keys_mean_unbounded() {
            var stub = ledger.newStub(alice, "test");

            assertThat(keys(stub.getStateByRange("", ""))).containsExactly("a", "b", "c");
        }

        @Test
        void the_start_key_is_inclusive_and_the_end_key_exclusive() {
            var stub = ledger.newStub(alice, "test");

            assertThat(keys(stub.getStateByRange("b", "c"))).containsExactly("b");
            assertThat(keys(stub.getStateByRange("b", ""))).containsExactly("b", "c");
            assertThat(keys(stub.getStateByRange("", "b"))).containsExactly("a");
        }

        @Test
        void a_start_key_after_the_end_key_finds_nothing() {
            var stub = ledger.newStub(alice, "test");

            assertThat(keys(stub.getStateByRange("c", "a"))).isEmpty();
        }

        @Test
        void simple_range_queries_never_return_composite_keys() {
            var stub = ledger.newStub(alice, "test");

            assertThat(keys(stub.getStateByRange("", ""))).noneMatch(key -> key.startsWith("\u0000"));
            assertThat(keys(stub.getStateByRange(null, null))).containsExactly("a", "b", "c");
        }

        @Test
        void a_composite_start_or_end_key_in_a_simple_range_query_is_rejected() {
            var stub = ledger.newStub(alice, "test");
            var composite = new CompositeKey("job").toString();

            // The shim throws its package-private CompositeKeyFormatException, an IllegalArgumentException.
            assertThatThrownBy(() -> stub.getStateByRange(composite, ""))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("U+000000");
            assertThatThrownBy(() -> stub.getStateByRange("", composite))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void keys_are_ordered_by_their_utf8_bytes_like_leveldb() {
            // U+FFFD is EF BF BD in UTF-8 and sorts before U+1F600 (F0 9F 98 80); Java's UTF-16 order says otherwise.
            seed("z\uD83D\uDE00", "emoji", "z\uFFFD", "replacement");
            var stub = ledger.newStub(alice, "test");

            assertThat(keys(stub.getStateByRange("z", ""))).containsExactly("z\uFFFD", "z\uD83D\uDE00");
            assertThat(ledger.stateSnapshot().lastKey()).isEqualTo("z\uD83D\uDE00");
        }

        @Test
        void a_range_query_sees_the_state_committed_when_the_transaction_started() {
            var stub = ledger.newStub(alice, "test");
            commitTx(other -> {
                other.putState("b2", bytes("late"));
                other.delState("a");
            });

            assertThat(keys(stub.getStateByRange("", ""))).containsExactly("a", "b", "c");
            assertThat(stub.getStringState("a")).isEqualTo("1");
        }

        @Test
        void results_are_single_pass_and_closing_ends_iteration_like_the_shim() {
            var stub = ledger.newStub(alice, "test");
            QueryResultsIterator<KeyValue> results = stub.getStateByRange("", "");

            var first = results.iterator().next().getKey();
            var rest = keys(results);
            results.close();

            assertThat(first).isEqualTo("a");
            assertThat(rest).containsExactly("b", "c");
            assertThat(results.iterator().hasNext()).isFalse();
        }
    }

    @Nested
    class CompositeKeys {

        @BeforeEach
        void state() {
            commitTx(stub -> {
                stub.putState(stub.createCompositeKey("job", "open", "j1").toString(), bytes("1"));
                stub.putState(stub.createCompositeKey("job", "open", "j2").toString(), bytes("2"));
                stub.putState(stub.createCompositeKey("job", "openly", "j3").toString(), bytes("3"));
                stub.putState(stub.createCompositeKey("job", "done", "j4").toString(), bytes("4"));
                stub.putState(stub.createCompositeKey("offer", "open", "o1").toString(), bytes("5"));
                stub.putState("job", bytes("simple"));
            });
        }

        private List<String> attributes(Iterable<KeyValue> results, ChaincodeStub stub) {
            var found = new ArrayList<String>();
            results.forEach(kv -> found.add(String.join("/", stub.splitCompositeKey(kv.getKey()).getAttributes())));
            return found;
        }

        @Test
        void a_partial_composite_key_matches_whole_attributes_only() {
            var stub = ledger.newStub(alice, "test");

            assertThat(attributes(stub.getStateByPartialCompositeKey("job", "open"), stub))
                    .containsExactly("open/j1", "open/j2");
        }

        @Test
        void every_partial_composite_key_overload_scans_the_same_range() {
            var stub = ledger.newStub(alice, "test");
            var partial = stub.createCompositeKey("job", "open");

            var byParts = keys(stub.getStateByPartialCompositeKey("job", "open"));
            var byKey = keys(stub.getStateByPartialCompositeKey(partial));
            var byString = keys(stub.getStateByPartialCompositeKey(partial.toString()));

            assertThat(byParts).hasSize(2).isEqualTo(byKey).isEqualTo(byString);
        }

        @Test
        void an_object_type_alone_matches_all_its_keys_and_no_simple_key() {
            var stub = ledger.newStub(alice, "test");

            assertThat(attributes(stub.getStateByPartialCompositeKey("job"), stub))
                    .containsExactly("done/j4", "open/j1", "open/j2", "openly/j3");
        }

        @Test
        void composite_keys_split_back_into_object_type_and_attributes() {
            var stub = ledger.newStub(alice, "test");
            var key = stub.createCompositeKey("job", "open", "j1");

            var split = stub.splitCompositeKey(key.toString());

            assertThat(split.getObjectType()).isEqualTo("job");
            assertThat(split.getAttributes()).containsExactly("open", "j1");
        }
    }

    @Nested
    class Pagination {

        @BeforeEach
        void state() {
            seed("k1", "1", "k2", "2", "k3", "3", "k4", "4", "k5", "5");
        }

        @Test
        void pages_follow_bookmarks_until_the_bookmark_is_empty() {
            var stub = ledger.newStub(alice, "test");

            var page1 = stub.getStateByRangeWithPagination("", "", 2, "");
            var page2 = stub.getStateByRangeWithPagination("", "", 2, page1.getMetadata().getBookmark());
            var page3 = stub.getStateByRangeWithPagination("", "", 2, page2.getMetadata().getBookmark());

            assertThat(keys(page1)).containsExactly("k1", "k2");
            assertThat(page1.getMetadata().getBookmark()).isEqualTo("k3");
            assertThat(page1.getMetadata().getFetchedRecordsCount()).isEqualTo(2);
            assertThat(keys(page2)).containsExactly("k3", "k4");
            assertThat(page2.getMetadata().getBookmark()).isEqualTo("k5");
            assertThat(keys(page3)).containsExactly("k5");
            assertThat(page3.getMetadata().getBookmark()).isEmpty();
            assertThat(page3.getMetadata().getFetchedRecordsCount()).isEqualTo(1);
        }

        @Test
        void a_page_that_ends_exactly_at_the_last_key_has_an_empty_bookmark() {
            var stub = ledger.newStub(alice, "test");

            var page = stub.getStateByRangeWithPagination("k4", "", 2, "");

            assertThat(keys(page)).containsExactly("k4", "k5");
            assertThat(page.getMetadata().getBookmark()).isEmpty();
        }

        @Test
        void pages_stop_at_the_end_key() {
            var stub = ledger.newStub(alice, "test");

            var page = stub.getStateByRangeWithPagination("k2", "k4", 10, "");

            assertThat(keys(page)).containsExactly("k2", "k3");
            assertThat(page.getMetadata().getBookmark()).isEmpty();
        }

        @Test
        void partial_composite_keys_paginate_too() {
            commitTx(stub -> {
                for (var id : List.of("a", "b", "c")) {
                    stub.putState(stub.createCompositeKey("offer", id).toString(), bytes(id));
                }
            });
            var stub = ledger.newStub(alice, "test");
            var prefix = stub.createCompositeKey("offer");

            QueryResultsIteratorWithMetadata<KeyValue> first =
                    stub.getStateByPartialCompositeKeyWithPagination(prefix, 2, "");
            var second = stub.getStateByPartialCompositeKeyWithPagination(
                    prefix, 2, first.getMetadata().getBookmark());

            assertThat(keys(first)).containsExactly(
                    stub.createCompositeKey("offer", "a").toString(), stub.createCompositeKey("offer", "b").toString());
            assertThat(first.getMetadata().getBookmark()).isEqualTo(stub.createCompositeKey("offer", "c").toString());
            assertThat(keys(second)).containsExactly(stub.createCompositeKey("offer", "c").toString());
            assertThat(second.getMetadata().getBookmark()).isEmpty();
        }

        @Test
        void page_size_zero_without_bookmark_is_an_unpaginated_query() {
            var stub = ledger.newStub(alice, "test");
            stub.putState("w", bytes("write first"));

            var all = stub.getStateByRangeWithPagination("", "", 0, "");

            assertThat(keys(all)).containsExactly("k1", "k2", "k3", "k4", "k5");
            assertThat(all.getMetadata().getBookmark()).isEmpty();
        }

        @Test
        void a_paginated_query_after_a_write_fails_like_on_the_peer() {
            var stub = ledger.newStub(alice, "test");
            stub.putState("w", bytes("v"));

            assertThatThrownBy(() -> stub.getStateByRangeWithPagination("", "", 2, ""))
                    .isInstanceOf(ContractRuntimeException.class)
                    .hasMessageContaining("Paginated queries are supported only in a read-only transaction");
        }

        @Test
        void a_write_after_a_paginated_query_fails_like_on_the_peer() {
            var stub = ledger.newStub(alice, "test");
            stub.getStateByRangeWithPagination("", "", 2, "");

            assertThatThrownBy(() -> stub.putState("w", bytes("v")))
                    .isInstanceOf(ContractRuntimeException.class)
                    .hasMessageContaining("Writes are not allowed");
            assertThatThrownBy(() -> stub.delState("k1")).isInstanceOf(ContractRuntimeException.class);
        }
    }

    @Nested
    class History {

        @Test
        void history_is_committed_writes_and_deletes_newest_first() {
            var first = commitTx(stub -> stub.putState("k", bytes("v1")));
            ledger.advance(Duration.ofMinutes(1));
            var second = commitTx(stub -> stub.putState("k", bytes("v2")));
            ledger.advance(Duration.ofMinutes(1));
            var third = commitTx(stub -> stub.delState("k"));

            var stub = ledger.newStub(alice, "test");
            var history = new ArrayList<KeyModification>();
            stub.getHistoryForKey("k").forEach(history::add);

            assertThat(history).extracting(KeyModification::getTxId)
                    .containsExactly(third.getTxId(), second.getTxId(), first.getTxId());
            assertThat(history).extracting(KeyModification::isDeleted).containsExactly(true, false, false);
            assertThat(history).extracting(KeyModification::getStringValue).containsExactly("", "v2", "v1");
            assertThat(history).extracting(KeyModification::getTimestamp).containsExactly(
                    TestLedger.DEFAULT_START_TIME.plusSeconds(120),
                    TestLedger.DEFAULT_START_TIME.plusSeconds(60),
                    TestLedger.DEFAULT_START_TIME);
            assertThat(ledger.history("k")).isEqualTo(history);
        }

        @Test
        void uncommitted_writes_have_no_history() {
            var stub = ledger.newStub(alice, "test");
            stub.putState("k", bytes("v"));

            assertThat(stub.getHistoryForKey("k")).isEmpty();
            assertThat(ledger.history("k")).isEmpty();
        }
    }

    @Nested
    class ValidationParameters {

        private final byte[] policy = bytes("policy: Org1MSP.peer");

        @Test
        void a_validation_parameter_is_buffered_then_committed_with_its_key() {
            var stub = ledger.newStub(alice, "test");
            stub.putState("k", bytes("v"));
            stub.setStateValidationParameter("k", policy);

            assertThat(stub.getStateValidationParameter("k")).isNull();
            assertThat(stub.validationParameterWriteSet()).containsOnlyKeys("k");

            ledger.commit(stub);
            assertThat(ledger.validationParameter("k")).hasValue(policy);
            assertThat(ledger.newStub(alice, "test").getStateValidationParameter("k")).isEqualTo(policy);
        }

        @Test
        void updating_a_value_keeps_its_validation_parameter() {
            commitTx(stub -> {
                stub.putState("k", bytes("v1"));
                stub.setStateValidationParameter("k", policy);
            });

            commitTx(stub -> stub.putState("k", bytes("v2")));

            assertThat(ledger.validationParameter("k")).hasValue(policy);
        }

        @Test
        void deleting_a_key_deletes_its_validation_parameter() {
            commitTx(stub -> {
                stub.putState("k", bytes("v1"));
                stub.setStateValidationParameter("k", policy);
            });

            commitTx(stub -> stub.delState("k"));
            commitTx(stub -> stub.putState("k", bytes("again")));

            assertThat(ledger.validationParameter("k")).isEmpty();
        }

        @Test
        void a_validation_parameter_for_a_key_that_does_not_exist_is_dropped_at_commit() {
            commitTx(stub -> stub.setStateValidationParameter("ghost", policy));

            assertThat(ledger.validationParameter("ghost")).isEmpty();
            assertThat(ledger.state("ghost")).isEmpty();
        }

        @Test
        void a_validation_parameter_alone_does_not_change_the_value_or_the_history() {
            seed("k", "v");

            commitTx(stub -> stub.setStateValidationParameter("k", policy));

            assertThat(ledger.stateString("k")).contains("v");
            assertThat(ledger.validationParameter("k")).hasValue(policy);
            assertThat(ledger.history("k")).hasSize(1);
        }
    }

    @Nested
    class Events {

        @Test
        void the_last_event_wins() {
            var stub = ledger.newStub(alice, "test");

            stub.setEvent("JobSubmitted", bytes("{\"id\":1}"));
            stub.setEvent("JobMatched", bytes("{\"id\":2}"));

            assertThat(stub.getEvent().getEventName()).isEqualTo("JobMatched");
            assertThat(stub.getEvent().getPayload().toStringUtf8()).isEqualTo("{\"id\":2}");
        }

        @Test
        void there_is_no_event_until_one_is_set_and_the_payload_is_optional() {
            var stub = ledger.newStub(alice, "test");
            assertThat(stub.getEvent()).isNull();

            stub.setEvent("Ping", null);

            assertThat(stub.getEvent().getPayload().isEmpty()).isTrue();
        }

        @Test
        void an_event_name_must_not_be_blank() {
            var stub = ledger.newStub(alice, "test");

            assertThatThrownBy(() -> stub.setEvent("", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stub.setEvent("  ", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stub.setEvent(null, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class TransactionContext {

        @Test
        void the_stub_carries_the_invocation_like_the_shim() {
            var stub = ledger.newStub(alice, "Market:placeOffer", "{\"gpu\":1}", "42");

            assertThat(stub.getFunction()).isEqualTo("Market:placeOffer");
            assertThat(stub.getParameters()).containsExactly("{\"gpu\":1}", "42");
            assertThat(stub.getStringArgs()).containsExactly("Market:placeOffer", "{\"gpu\":1}", "42");
            assertThat(stub.getArgs()).hasSize(3);
            assertThat(stub.getChannelId()).isEqualTo("gridledger");
            assertThat(stub.getMspId()).isEqualTo("Org1MSP");
            assertThat(stub.getCreator()).isEqualTo(alice.serialized());
            assertThat(stub.getTransient()).isEmpty();
        }

        @Test
        void the_transaction_timestamp_is_the_ledger_clock() {
            var later = Instant.parse("2031-05-06T07:08:09.123456789Z");
            ledger.setTime(later);

            assertThat(ledger.newStub(alice, "test").getTxTimestamp()).isEqualTo(later);
        }

        @Test
        void transaction_ids_are_unique_per_proposal_and_explicit_ids_are_kept() {
            var one = ledger.newStub(alice, "test");
            var two = ledger.newStub(alice, "test");
            var explicit = ledger.proposal(alice, "test").withTxId("tx-1").newStub();

            assertThat(one.getTxId()).isNotEqualTo(two.getTxId()).matches("[0-9a-f]{64}");
            assertThat(explicit.getTxId()).isEqualTo("tx-1");
        }

        @Test
        void transient_data_reaches_the_stub() {
            var stub = ledger.proposal(alice, "test").withTransient("secret", bytes("s3cr3t")).newStub();

            assertThat(stub.getTransient()).containsOnlyKeys("secret");
            assertThat(new String(stub.getTransient().get("secret"), StandardCharsets.UTF_8)).isEqualTo("s3cr3t");
        }

        @Test
        void the_signed_proposal_is_signed_by_the_creator_and_matches_the_stub() throws Exception {
            var stub = ledger.proposal(alice, "Market:placeOffer", "x").withTransient("t", bytes("1")).newStub();
            var signed = stub.getSignedProposal();

            var verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(alice.certificate().getPublicKey());
            verifier.update(signed.getProposalBytes().toByteArray());
            assertThat(verifier.verify(signed.getSignature().toByteArray())).isTrue();

            var proposal = Proposal.parseFrom(signed.getProposalBytes());
            var header = Header.parseFrom(proposal.getHeader());
            var channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
            var signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
            var payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            var invocation = ChaincodeInvocationSpec.parseFrom(payload.getInput());

            assertThat(channelHeader.getType()).isEqualTo(HeaderType.ENDORSER_TRANSACTION_VALUE);
            assertThat(channelHeader.getTxId()).isEqualTo(stub.getTxId());
            assertThat(channelHeader.getChannelId()).isEqualTo("gridledger");
            assertThat(channelHeader.getTimestamp().getSeconds()).isEqualTo(stub.getTxTimestamp().getEpochSecond());
            assertThat(signatureHeader.getCreator().toByteArray()).isEqualTo(stub.getCreator());
            assertThat(invocation.getChaincodeSpec().getInput().getArgs(0).toStringUtf8())
                    .isEqualTo("Market:placeOffer");
            assertThat(payload.getTransientMapMap()).containsOnlyKeys("t");
            assertThat(stub.getBinding()).isEqualTo(FakeChaincodeStub.binding(
                    signatureHeader.getNonce().toByteArray(), stub.getCreator(), channelHeader.getEpoch()));
        }

        @Test
        void rich_queries_private_data_and_chaincode_calls_are_unsupported() {
            var stub = ledger.newStub(alice, "test");

            assertThatThrownBy(() -> stub.getQueryResult("{\"selector\":{}}"))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("LevelDB");
            assertThatThrownBy(() -> stub.getQueryResultWithPagination("{}", 10, ""))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> stub.getPrivateData("c", "k"))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> stub.putPrivateData("c", "k", bytes("v")))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> stub.invokeChaincode("other", List.of()))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class Commit {

        @Test
        void a_stale_read_is_an_mvcc_conflict_and_commits_nothing() {
            seed("balance", "100");
            var first = ledger.newStub(alice, "test");
            var second = ledger.newStub(bob, "test");
            first.getState("balance");
            first.putState("balance", bytes("50"));
            second.getState("balance");
            second.putState("balance", bytes("70"));

            assertThat(ledger.commit(first)).isEqualTo(TxValidationCode.VALID);
            assertThat(ledger.commit(second)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
            assertThat(ledger.stateString("balance")).contains("50");
            assertThat(ledger.hasTransaction(second.getTxId())).isTrue();
        }

        @Test
        void a_key_added_inside_a_scanned_range_is_a_phantom_read() {
            seed("job-1", "open");
            var scanner = ledger.newStub(alice, "test");
            keys(scanner.getStateByRange("job-", "job-~"));
            scanner.putState("summary", bytes("1 open job"));
            commitTx(other -> other.putState("job-2", bytes("open")));

            assertThat(ledger.commit(scanner)).isEqualTo(TxValidationCode.PHANTOM_READ_CONFLICT);
            assertThat(ledger.state("summary")).isEmpty();
        }

        @Test
        void blind_writes_and_unrelated_reads_do_not_conflict() {
            seed("a", "1", "b", "2");
            var first = ledger.newStub(alice, "test");
            var second = ledger.newStub(bob, "test");
            first.getState("a");
            first.putState("a", bytes("10"));
            second.getState("b");
            second.putState("a", bytes("blind"));

            assertThat(ledger.commit(first)).isEqualTo(TxValidationCode.VALID);
            assertThat(ledger.commit(second)).isEqualTo(TxValidationCode.VALID);
            assertThat(ledger.stateString("a")).contains("blind");
        }

        @Test
        void a_transaction_id_commits_once() {
            var stub = ledger.newStub(alice, "test");
            stub.putState("k", bytes("v"));

            assertThat(ledger.commit(stub)).isEqualTo(TxValidationCode.VALID);
            assertThat(ledger.commit(stub)).isEqualTo(TxValidationCode.DUPLICATE_TXID);
            assertThat(ledger.height()).isEqualTo(1);
        }

        @Test
        void the_same_writes_on_two_ledgers_have_the_same_digest() {
            var other = new TestLedger();
            var here = ledger.proposal(alice, "test").withTxId("same").newStub();
            var there = other.proposal(alice, "test").withTxId("same").newStub();
            for (var stub : List.of(here, there)) {
                stub.putState("b", bytes("2"));
                stub.putState("a", bytes("1"));
                stub.delState("c");
            }

            assertThat(here.writeSetDigest()).isEqualTo(there.writeSetDigest());
            there.putState("a", bytes("1 "));
            assertThat(here.writeSetDigest()).isNotEqualTo(there.writeSetDigest());
        }
    }

    @Nested
    class ThroughTheContractRouter {

        @Test
        void an_unknown_contract_fails_and_commits_nothing() {
            var result = ledger.submit(alice, "NoSuchContract:noSuchTransaction", "x");

            assertThat(result.ok()).isFalse();
            assertThat(result.status()).isEqualTo(500);
            assertThat(result.committed()).isFalse();
            assertThat(result.event()).isEmpty();
            assertThat(ledger.height()).isZero();
            assertThat(ledger.hasTransaction(result.txId())).isFalse();
        }

        @Test
        void the_system_contract_answers_metadata_without_writing() {
            var result = ledger.evaluate(alice, "org.hyperledger.fabric:GetMetadata");

            assertThat(result.ok()).as(result.toString()).isTrue();
            assertThat(result.payload()).contains("\"contracts\"");
            assertThat(result.writes()).isEmpty();
            assertThat(result.committed()).isFalse();
        }

        @Test
        void a_submitted_transaction_id_cannot_be_reused() {
            var first = ledger.submitWithTxId("tx-1", alice, "org.hyperledger.fabric:GetMetadata");
            var again = ledger.submitWithTxId("tx-1", alice, "org.hyperledger.fabric:GetMetadata");

            assertThat(first.committed()).isTrue();
            assertThat(again.ok()).isFalse();
            assertThat(again.message()).contains("duplicate transaction found");
        }

    }

    @Nested
    class Results {

        @Test
        void a_chaincode_exception_payload_becomes_the_error_code() {
            var stub = ledger.newStub(alice, "test");
            var response = ResponseUtils.newErrorResponse(new ChaincodeException("offer not found", "NOT_FOUND"));

            var result = TxResult.of(stub, response, false);

            assertThat(result.status()).isEqualTo(500);
            assertThat(result.message()).isEqualTo("offer not found");
            assertThat(result.errorCode()).isEqualTo("NOT_FOUND");
        }

        @Test
        void a_failed_transaction_reports_its_writes_but_not_its_event() {
            var stub = ledger.newStub(alice, "test");
            stub.putState("k", bytes("v"));
            stub.setEvent("Nope", bytes("x"));

            var result = TxResult.of(stub, ResponseUtils.newErrorResponse(new IllegalStateException("boom")), false);

            assertThat(result.message()).isEqualTo("Unexpected error");
            assertThat(result.errorCode()).isEmpty();
            assertThat(result.event()).isEmpty();
            assertThat(result.written("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v")));
        }

        @Test
        void a_successful_transaction_reports_its_event() {
            var stub = ledger.newStub(alice, "test");
            stub.setEvent("First", bytes("1"));
            stub.setEvent("Second", bytes("2"));

            var result = TxResult.of(stub, ResponseUtils.newSuccessResponse(bytes("ok")), true);

            assertThat(result.ok()).isTrue();
            assertThat(result.payload()).isEqualTo("ok");
            assertThat(result.event()).contains(new EmittedEvent("Second", bytes("2")));
            assertThat(result.errorCode()).isEmpty();
        }

        @Test
        void result_writes_are_copies() {
            var stub = ledger.newStub(alice, "test");
            stub.putState("k", bytes("v"));
            var result = TxResult.of(stub, ResponseUtils.newSuccessResponse(), false);

            result.writes().get("k").orElseThrow()[0] = 'x';

            assertThat(result.written("k")).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("v")));
            assertThat(result.writeSetDigest()).isEqualTo(stub.writeSetDigest());
            assertThat(result.toString()).contains("k=v");
        }
    }
}
