package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopesTest {

    private static final TestSigner CLIENT = TestSigner.create("Org1MSP", "client1");
    private static final TestSigner PEER = TestSigner.create("Org1MSP", "peer0");

    @Test
    void an_endorser_transaction_is_taken_apart_into_headers_action_results_event_and_endorsements() throws Exception {
        Envelope envelope = Transactions.signed(CLIENT, PEER, "job-1");

        ParsedTransaction tx = Envelopes.parse(envelope.toByteString());

        assertThat(tx.type()).isEqualTo(HeaderType.ENDORSER_TRANSACTION);
        assertThat(tx.isEndorserTransaction()).isTrue();
        assertThat(tx.channelId()).isEqualTo(Transactions.CHANNEL);
        assertThat(tx.txId()).isEqualTo(Envelopes.computeTxId(tx.nonce(), tx.creator()));
        assertThat(tx.txIdMatchesNonceAndCreator()).isTrue();
        assertThat(tx.timestamp()).isEqualTo(Instant.ofEpochSecond(Transactions.TIMESTAMP_SECONDS, 5));
        assertThat(tx.chaincodeId()).hasValueSatisfying(id -> assertThat(id.getName()).isEqualTo(Transactions.CHAINCODE));
        assertThat(tx.creator()).isEqualTo(CLIENT.serialized());
        assertThat(tx.nonce().size()).isEqualTo(24);
        assertThat(tx.payloadBytes()).isEqualTo(envelope.getPayload());
        assertThat(TestSigner.verify(tx.creator(), tx.payloadBytes().toByteArray(), tx.signature().toByteArray()))
                .isTrue();

        ParsedTransaction.Action action = tx.action();
        assertThat(action.proposalHashMatches()).isTrue();
        assertThat(action.chaincodeId().getName()).isEqualTo(Transactions.CHAINCODE);
        assertThat(action.chaincodeId().getVersion()).isEqualTo("1.0");
        assertThat(action.response().getStatus()).isEqualTo(200);
        var writes = KVRWSet.parseFrom(action.results().getNsRwset(0).getRwset()).getWritesList();
        assertThat(writes).singleElement().satisfies(w -> assertThat(w.getKey()).isEqualTo("job-1"));
        assertThat(action.event()).hasValueSatisfying(e -> {
            assertThat(e.getEventName()).isEqualTo("JobCreated");
            assertThat(e.getTxId()).isEqualTo(tx.txId());
        });
        assertThat(action.endorsements()).singleElement().satisfies(endorsement -> {
            assertThat(endorsement.getEndorser()).isEqualTo(PEER.serialized());
            assertThat(TestSigner.verify(endorsement.getEndorser(), action.endorsementSignedBytes(endorsement),
                    endorsement.getSignature().toByteArray())).isTrue();
        });
    }

    @Test
    void a_config_envelope_is_recognised_by_type_and_keeps_its_data() {
        ParsedTransaction tx = Envelopes.parse(Transactions.config());

        assertThat(tx.type()).isEqualTo(HeaderType.CONFIG);
        assertThat(tx.actions()).isEmpty();
        assertThat(tx.chaincodeId()).isEmpty();
        assertThat(tx.data().toStringUtf8()).isEqualTo("config");
    }

    @Test
    void the_tx_id_is_read_without_parsing_the_whole_transaction() {
        Envelope envelope = Transactions.unsigned(42);

        assertThat(Envelopes.txId(envelope.toByteString())).contains(Transactions.txId(envelope));
        assertThat(Envelopes.txId(ByteString.copyFromUtf8("garbage"))).isEmpty();
        assertThat(Envelopes.txId(Transactions.config().toByteString())).isEmpty();
    }

    @Nested
    class RefusesMalformedInputWithFabricsValidationCode {

        @Test
        void empty_bytes_are_a_nil_envelope() {
            assertRefused(ByteString.EMPTY, TxValidationCode.NIL_ENVELOPE, "empty envelope");
        }

        @Test
        void an_unparsable_payload_is_bad_payload() {
            var envelope = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})).build();

            assertRefused(envelope.toByteString(), TxValidationCode.BAD_PAYLOAD, "malformed payload");
        }

        @Test
        void a_payload_without_header_is_a_bad_common_header() {
            var envelope = withPayload(p -> p.clearHeader().setData(ByteString.copyFromUtf8("x")));

            assertRefused(envelope, TxValidationCode.BAD_COMMON_HEADER, "no header");
        }

        @Test
        void a_header_without_creator_is_a_bad_common_header() {
            var envelope = withPayload(p -> p.setHeader(p.getHeader().toBuilder().clearSignatureHeader()));

            assertRefused(envelope, TxValidationCode.BAD_COMMON_HEADER, "lacks creator or nonce");
        }

        @Test
        void a_garbled_chaincode_header_extension_is_a_bad_header_extension() throws Exception {
            var envelope = withPayload(p -> {
                try {
                    var header = p.getHeader();
                    var channelHeader = org.hyperledger.fabric.protos.common.ChannelHeader
                            .parseFrom(header.getChannelHeader()).toBuilder()
                            .setExtension(ByteString.copyFrom(new byte[] {(byte) 0xff})).build();
                    return p.setHeader(header.toBuilder().setChannelHeader(channelHeader.toByteString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            assertRefused(envelope, TxValidationCode.BAD_HEADER_EXTENSION, "chaincode header extension");
        }

        @Test
        void two_actions_are_an_invalid_endorser_transaction() {
            var envelope = withTransaction(t -> t.addActions(t.getActions(0)));

            assertRefused(envelope, TxValidationCode.INVALID_ENDORSER_TRANSACTION, "2 actions");
        }

        @Test
        void an_action_without_endorsed_action_is_an_invalid_endorser_transaction() {
            var envelope = withActionPayload(a -> a.clearAction());

            assertRefused(envelope, TxValidationCode.INVALID_ENDORSER_TRANSACTION, "no endorsed action");
        }

        @Test
        void a_garbled_read_write_set_is_bad_rwset() {
            var envelope = withChaincodeAction(c -> c.setResults(ByteString.copyFrom(new byte[] {(byte) 0xff})));

            assertRefused(envelope, TxValidationCode.BAD_RWSET, "read-write set");
        }

        @Test
        void a_garbled_chaincode_event_is_a_bad_response_payload() {
            var envelope = withChaincodeAction(c -> c.setEvents(ByteString.copyFrom(new byte[] {(byte) 0xff})));

            assertRefused(envelope, TxValidationCode.BAD_RESPONSE_PAYLOAD, "chaincode event");
        }

        @Test
        void a_tampered_proposal_payload_is_parsed_but_flagged_as_not_matching_the_proposal_hash() {
            var envelope = withActionPayload(a -> a.setChaincodeProposalPayload(ByteString.copyFromUtf8("other")));

            assertThat(Envelopes.parse(envelope).action().proposalHashMatches()).isFalse();
        }

        private void assertRefused(ByteString bytes, TxValidationCode code, String detail) {
            assertThatThrownBy(() -> Envelopes.parse(bytes))
                    .isInstanceOfSatisfying(MalformedTransactionException.class,
                            e -> assertThat(e.validationCode()).isEqualTo(code))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(detail);
        }

        private void assertRefused(Envelope envelope, TxValidationCode code, String detail) {
            assertRefused(envelope.toByteString(), code, detail);
        }

        private Envelope withPayload(UnaryOperator<Payload.Builder> change) {
            try {
                Envelope original = Transactions.unsigned(7);
                var payload = change.apply(Payload.parseFrom(original.getPayload()).toBuilder()).build();
                return original.toBuilder().setPayload(payload.toByteString()).build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private Envelope withTransaction(UnaryOperator<Transaction.Builder> change) {
            return withPayload(p -> {
                try {
                    return p.setData(change.apply(Transaction.parseFrom(p.getData()).toBuilder()).build().toByteString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        private Envelope withActionPayload(UnaryOperator<ChaincodeActionPayload.Builder> change) {
            return withTransaction(t -> {
                try {
                    var action = t.getActions(0);
                    var payload = change.apply(ChaincodeActionPayload.parseFrom(action.getPayload()).toBuilder());
                    return t.setActions(0, action.toBuilder().setPayload(payload.build().toByteString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        private Envelope withChaincodeAction(UnaryOperator<ChaincodeAction.Builder> change) {
            return withActionPayload(a -> {
                try {
                    var endorsed = a.getAction();
                    var response = ProposalResponsePayload.parseFrom(endorsed.getProposalResponsePayload());
                    var action = change.apply(ChaincodeAction.parseFrom(response.getExtension()).toBuilder()).build();
                    var newResponse = response.toBuilder().setExtension(action.toByteString()).build();
                    return a.setAction(endorsed.toBuilder().setProposalResponsePayload(newResponse.toByteString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

}
