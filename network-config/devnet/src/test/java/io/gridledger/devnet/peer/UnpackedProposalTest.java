package io.gridledger.devnet.peer;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.msp.Identity.NodeRole;
import io.gridledger.devnet.msp.LocalSigningIdentity;
import io.gridledger.devnet.msp.MspDirectory;
import io.gridledger.devnet.msp.TestCrypto;
import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.TransactionBuilder;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proposals taken apart and checked with the messages of Fabric 2.5's {@code UnpackProposal} and
 * {@code UnpackedProposal.Validate} (core/endorser/msgvalidation.go), on proposals signed for real.
 */
class UnpackedProposalTest {

    private static final Consortium consortium = Consortium.shared();
    private static final LocalSigningIdentity client = consortium.client("Org1MSP");
    private static final String DENIED = "access denied: channel [" + Consortium.CHANNEL + "] creator org ";

    @Test
    void a_gateway_sdk_proposal_unpacks_into_channel_transaction_creator_chaincode_and_input() throws Exception {
        var builder = TransactionBuilder.proposedBy(client).args("GetAsset", "asset-1");

        var proposal = UnpackedProposal.unpack(builder.signedProposal());

        assertThat(proposal.channelId()).isEqualTo(Consortium.CHANNEL);
        assertThat(proposal.txId()).isEqualTo(builder.txId()).isEqualTo(proposal.expectedTxId());
        assertThat(proposal.creator()).isEqualTo(client.serialized());
        assertThat(proposal.chaincodeName()).isEqualTo(Consortium.CHAINCODE);
        assertThat(proposal.input().getArgsList()).extracting(ByteString::toStringUtf8).containsExactly("GetAsset", "asset-1");
        assertThat(proposal.proposalHash())
                .isEqualTo(Envelopes.proposalHash(builder.header(), builder.proposalPayload().toByteString()));
        var creator = proposal.validate(consortium.msps());
        assertThat(creator.mspId()).isEqualTo("Org1MSP");
        assertThat(creator.role()).isEqualTo(NodeRole.CLIENT);
    }

    @Nested
    class UnpackRefuses {

        @Test
        void a_missing_proposal() {
            assertUnpackRefused(SignedProposal.getDefaultInstance(), "a signed proposal is required");
        }

        @Test
        void bytes_that_are_not_a_proposal() {
            var garbage = SignedProposal.newBuilder().setProposalBytes(ByteString.copyFrom(new byte[] {(byte) 0xff, 1})).build();

            assertThatThrownBy(() -> UnpackedProposal.unpack(garbage)).hasMessageStartingWith("error unmarshalling Proposal: ");
        }

        @Test
        void a_header_that_names_no_chaincode() {
            assertUnpackRefused(withChannelHeader(h -> h.clearExtension()), "ChaincodeHeaderExtension.ChaincodeId is nil");
            assertUnpackRefused(TransactionBuilder.proposedBy(client).chaincode("").signedProposal(),
                    "ChaincodeHeaderExtension.ChaincodeId.Name is empty");
        }

        @Test
        void a_payload_without_chaincode_spec() {
            var proposal = TransactionBuilder.proposedBy(client).proposal().toBuilder()
                    .setPayload(ChaincodeProposalPayload.newBuilder()
                            .setInput(ChaincodeInvocationSpec.getDefaultInstance().toByteString()).build().toByteString())
                    .build();

            assertUnpackRefused(signed(proposal), "chaincode invocation spec did not contain chaincode spec");
        }

        @Test
        void a_proposal_without_channel_when_the_gateway_unpacks_it() throws Exception {
            var channelless = TransactionBuilder.proposedBy(client).channel("").signedProposal();
            assertThatThrownBy(() -> UnpackedProposal.unpackForChannel(channelless))
                    .isInstanceOf(UnpackedProposal.InvalidProposalException.class).hasMessage("no channel id provided");
            assertThat(UnpackedProposal.unpack(channelless).channelId()).isEmpty();
        }

        private void assertUnpackRefused(SignedProposal signed, String message) {
            assertThatThrownBy(() -> UnpackedProposal.unpack(signed))
                    .isInstanceOf(UnpackedProposal.InvalidProposalException.class).hasMessage(message);
        }
    }

    @Nested
    class ValidateRefuses {

        @Test
        void a_header_type_other_than_endorser_transaction() {
            assertRefused(TransactionBuilder.proposedBy(client).headerType(HeaderType.CONFIG_UPDATE_VALUE),
                    "invalid header type CONFIG_UPDATE");
        }

        @Test
        void a_non_zero_epoch() {
            assertRefused(TransactionBuilder.proposedBy(client).epoch(1), "epoch is non-zero");
        }

        @Test
        void an_empty_nonce() {
            assertRefused(TransactionBuilder.proposedBy(client).nonce(ByteString.EMPTY), "nonce is empty");
        }

        @Test
        void a_transaction_id_that_is_not_the_hash_of_nonce_and_creator() {
            var builder = TransactionBuilder.proposedBy(client).txId("abc");
            var expected = Envelopes.computeTxId(builder.nonce(), client.serialized());

            assertRefused(builder, "incorrectly computed txid 'abc' -- expected '" + expected + "'");
        }

        @Test
        void a_missing_signature() {
            var unsigned = TransactionBuilder.proposedBy(client).signedProposal().toBuilder().clearSignature().build();

            assertRefused(unsigned, "empty signature bytes");
        }

        @Test
        void a_signature_by_another_key_naming_only_the_creators_org() {
            assertRefused(TransactionBuilder.proposedBy(client).signedBy(consortium.client("Org2MSP")), DENIED + "[Org1MSP]");
        }

        @Test
        void an_expired_certificate() {
            var expired = TestCrypto.expired(consortium.crypto(), "Org1MSP");

            assertRefused(TransactionBuilder.proposedBy(expired), DENIED + "[Org1MSP]");
        }

        @Test
        void a_certificate_the_orgs_ca_did_not_issue_as_malformed_since_fabric_cannot_deserialize_it() {
            var crypto = consortium.crypto();
            var org2User = consortium.client("Org2MSP");
            var impostor = new LocalSigningIdentity("Org1MSP", org2User.certificate(),
                    MspDirectory.readPrivateKey(crypto.userPrivateKey("Org2MSP", "User1")));

            assertRefused(TransactionBuilder.proposedBy(impostor), DENIED + "unknown, creator is malformed");
        }

        @Test
        void an_msp_the_channel_does_not_have() {
            var stranger = new LocalSigningIdentity("Org9MSP", client.certificate(),
                    MspDirectory.readPrivateKey(consortium.crypto().userPrivateKey("Org1MSP", "User1")));

            assertRefused(TransactionBuilder.proposedBy(stranger), DENIED + "unknown, creator is malformed");
        }

        private void assertRefused(TransactionBuilder builder, String message) {
            assertRefused(builder.signedProposal(), message);
        }

        private void assertRefused(SignedProposal signed, String message) {
            assertThatThrownBy(() -> UnpackedProposal.unpack(signed).validate(consortium.msps()))
                    .isInstanceOf(UnpackedProposal.InvalidProposalException.class).hasMessage(message);
        }
    }

    private static SignedProposal withChannelHeader(UnaryOperator<ChannelHeader.Builder> change) {
        var proposal = TransactionBuilder.proposedBy(client).proposal();
        try {
            var header = Header.parseFrom(proposal.getHeader());
            var channelHeader = change.apply(ChannelHeader.parseFrom(header.getChannelHeader()).toBuilder()).build();
            return signed(proposal.toBuilder().setHeader(header.toBuilder()
                    .setChannelHeader(channelHeader.toByteString()).build().toByteString()).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static SignedProposal signed(Proposal proposal) {
        var bytes = proposal.toByteString();
        return SignedProposal.newBuilder().setProposalBytes(bytes)
                .setSignature(ByteString.copyFrom(client.sign(bytes.toByteArray()))).build();
    }
}
