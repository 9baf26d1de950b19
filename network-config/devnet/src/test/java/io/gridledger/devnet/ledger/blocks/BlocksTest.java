package io.gridledger.devnet.ledger.blocks;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.LastConfig;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.OrdererBlockMetadata;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlocksTest {

    private static final TestSigner ORDERER = TestSigner.orderer();

    @Test
    void a_new_block_carries_number_previous_hash_data_hash_and_five_empty_metadata_slots() {
        var envelopes = List.of(Transactions.unsigned(1), Transactions.unsigned(2));
        byte[] previous = new byte[32];

        Block block = Blocks.create(7, previous, envelopes);

        assertThat(block.getHeader().getNumber()).isEqualTo(7);
        assertThat(block.getHeader().getPreviousHash().toByteArray()).isEqualTo(previous);
        assertThat(block.getHeader().getDataHash().toByteArray()).isEqualTo(BlockHashes.dataHash(block.getData()));
        assertThat(block.getData().getDataList()).containsExactly(envelopes.get(0).toByteString(),
                envelopes.get(1).toByteString());
        assertThat(block.getMetadata().getMetadataList()).hasSize(5).allMatch(ByteString::isEmpty);
    }

    @Test
    void the_orderer_signature_verifies_with_the_orderers_key() {
        Block signed = Blocks.sign(Blocks.create(3, new byte[32], List.of(Transactions.unsigned(1))), ORDERER, 0);

        assertThat(Blocks.verifySignatures(signed, TestSigner::verify)).isTrue();
        assertThat(Blocks.signatures(signed)).singleElement()
                .satisfies(s -> assertThat(s.creator()).isEqualTo(ORDERER.serialized()));
    }

    @Test
    void the_orderer_signature_covers_the_header_so_a_changed_header_fails_verification() {
        Block signed = Blocks.sign(Blocks.create(3, new byte[32], List.of(Transactions.unsigned(1))), ORDERER, 0);
        Block renumbered = signed.toBuilder().setHeader(signed.getHeader().toBuilder().setNumber(4)).build();

        assertThat(Blocks.verifySignatures(renumbered, TestSigner::verify)).isFalse();
        assertThat(Blocks.verifySignatures(signed, (creator, message, signature) -> false)).isFalse();
    }

    @Test
    void an_unsigned_block_does_not_pass_signature_verification() {
        Block unsigned = Blocks.create(0, new byte[0], List.of());

        assertThat(Blocks.verifySignatures(unsigned, (creator, message, signature) -> true)).isFalse();
    }

    @Test
    void signing_writes_fabric_block_writer_metadata_with_creator_nonce_and_last_config() throws Exception {
        Block block = Blocks.create(9, new byte[32], List.of(Transactions.unsigned(1)));

        Block signed = Blocks.sign(block, ORDERER, 4);

        var signatures = Metadata.parseFrom(Blocks.metadata(signed, BlockMetadataIndex.SIGNATURES));
        var value = OrdererBlockMetadata.parseFrom(signatures.getValue());
        assertThat(value.getLastConfig().getIndex()).isEqualTo(4);
        assertThat(Metadata.parseFrom(value.getConsenterMetadata()).getValue()).isEmpty();
        var signatureHeader = SignatureHeader.parseFrom(signatures.getSignatures(0).getSignatureHeader());
        assertThat(signatureHeader.getCreator()).isEqualTo(ORDERER.serialized());
        assertThat(signatureHeader.getNonce().size()).isEqualTo(24);
        byte[] signedBytes = signatures.getValue().concat(signatures.getSignatures(0).getSignatureHeader())
                .concat(ByteString.copyFrom(BlockHashes.headerBytes(signed.getHeader()))).toByteArray();
        assertThat(TestSigner.verify(ORDERER.serialized(), signedBytes,
                signatures.getSignatures(0).getSignature().toByteArray())).isTrue();
        var lastConfig = LastConfig.parseFrom(
                Metadata.parseFrom(Blocks.metadata(signed, BlockMetadataIndex.LAST_CONFIG)).getValue());
        assertThat(lastConfig.getIndex()).isEqualTo(4);
        assertThat(Blocks.lastConfigIndex(signed)).isEqualTo(4);
        assertThat(signed.getHeader()).isEqualTo(block.getHeader());
        assertThat(signed.getData()).isEqualTo(block.getData());
    }

    @Test
    void validation_codes_round_trip_through_transactions_filter() {
        Block block = Blocks.create(1, new byte[32],
                List.of(Transactions.unsigned(1), Transactions.unsigned(2), Transactions.unsigned(3)));

        Block validated = Blocks.withValidationCodes(block, List.of(TxValidationCode.VALID,
                TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.ENDORSEMENT_POLICY_FAILURE));

        assertThat(Blocks.validationCodes(validated)).containsExactly(0, 11, 10);
        assertThat(Blocks.metadata(validated, BlockMetadataIndex.TRANSACTIONS_FILTER).toByteArray())
                .containsExactly(0, 11, 10);
        assertThat(Blocks.validationCode(validated, 1)).isEqualTo(TxValidationCode.MVCC_READ_CONFLICT);
        assertThat(Blocks.validationCode(block, 1)).isEqualTo(TxValidationCode.NOT_VALIDATED);
        assertThat(validated.getHeader()).isEqualTo(block.getHeader());
    }

    @Test
    void validation_codes_must_match_the_number_of_transactions() {
        Block block = Blocks.create(1, new byte[32], List.of(Transactions.unsigned(1)));

        assertThatThrownBy(() -> Blocks.withValidationCodes(block, new byte[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block 1 has 1 transactions but 2 validation codes");
    }

    @Test
    void commit_hash_chains_like_kvledger_and_round_trips() throws Exception {
        byte[] previous = new byte[] {9, 9};
        byte[] codes = new byte[] {0, 11};
        byte[] updates = "updates".getBytes();

        byte[] next = Blocks.nextCommitHash(previous, codes, updates);

        var digest = MessageDigest.getInstance("SHA-256");
        digest.update(new byte[] {2, 0, 11});
        digest.update(updates);
        digest.update(previous);
        assertThat(next).isEqualTo(digest.digest());
        Block block = Blocks.withCommitHash(Blocks.create(0, new byte[0], List.of()), next);
        assertThat(Blocks.commitHash(block)).hasValueSatisfying(v -> assertThat(v).isEqualTo(next));
        assertThat(Blocks.commitHash(Blocks.create(0, new byte[0], List.of()))).isEmpty();
    }

    @Test
    void malformed_signatures_metadata_is_reported_with_the_block_number() {
        Block block = Blocks.withMetadata(Blocks.create(5, new byte[32], List.of()), BlockMetadataIndex.SIGNATURES,
                ByteString.copyFromUtf8("apple"));

        assertThatThrownBy(() -> Blocks.signatures(block))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block 5")
                .hasMessageContaining("SIGNATURES");
    }
}
