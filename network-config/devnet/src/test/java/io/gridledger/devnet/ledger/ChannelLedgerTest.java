package io.gridledger.devnet.ledger;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelLedgerTest {

    private static final String CHANNEL = "ch";

    @TempDir
    Path dir;
    ChannelLedger ledger;

    @BeforeEach
    void open() {
        // Validation details do not matter here: every transaction gets some code, and its waiters hear it.
        var validator = new BlockValidator(CHANNEL, null, Set.of(), null);
        ledger = ChannelLedger.open(CHANNEL, dir, validator, new UnsignedOrderer(),
                () -> Blocks.create(0, new byte[0], List.of(envelope("genesis"))));
    }

    @AfterEach
    void close() throws Exception {
        ledger.close();
    }

    @Test
    void a_commit_status_request_that_is_cancelled_leaves_the_others_for_the_same_transaction_waiting() throws Exception {
        var gaveUp = ledger.commitStatus("tx-1");
        var patient = ledger.commitStatus("tx-1");
        gaveUp.cancel(false);
        var askedAgain = ledger.commitStatus("tx-1");

        ledger.commit(List.of(envelope("tx-1")));

        assertThat(gaveUp).isCancelled();
        assertThat(patient.get(5, TimeUnit.SECONDS).blockNumber()).isEqualTo(1);
        assertThat(askedAgain.get(5, TimeUnit.SECONDS)).isEqualTo(patient.get());
    }

    @Test
    void a_commit_status_request_for_a_committed_transaction_completes_at_once_with_its_first_occurrence() {
        ledger.commit(List.of(envelope("tx-2")));
        ledger.commit(List.of(envelope("tx-2")));

        assertThat(ledger.commitStatus("tx-2")).isCompletedWithValue(ledger.status("tx-2").orElseThrow());
        assertThat(ledger.status("tx-2").orElseThrow().blockNumber()).isEqualTo(1);
    }

    /** An envelope that names its transaction id and is otherwise not a valid transaction. */
    private static Envelope envelope(String txId) {
        var channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(CHANNEL).setTxId(txId).build();
        var payload = Payload.newBuilder().setHeader(Header.newBuilder().setChannelHeader(channelHeader.toByteString()));
        return Envelope.newBuilder().setPayload(payload.build().toByteString()).build();
    }

    private static final class UnsignedOrderer implements SigningIdentity {
        @Override
        public String mspId() {
            return "OrdererMSP";
        }

        @Override
        public ByteString serialized() {
            return ByteString.copyFromUtf8("orderer");
        }

        @Override
        public byte[] sign(byte[] message) {
            return new byte[70];
        }
    }
}
