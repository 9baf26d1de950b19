package io.gridledger.devnet.ledger;

import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.RwSet;
import io.gridledger.devnet.testing.TransactionBuilder;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ChannelLedgerTest {

    private static final Consortium consortium = Consortium.shared();

    @TempDir
    Path dir;
    private ChannelLedger ledger;

    @BeforeEach
    void open() {
        ledger = consortium.openLedger(dir);
    }

    @AfterEach
    void close() throws Exception {
        ledger.close();
    }

    @Test
    void commit_status_completes_when_the_transaction_commits_and_at_once_afterwards() throws Exception {
        var tx = transaction();
        var waiting = ledger.commitStatus(tx.txId());
        assertThat(waiting).isNotDone();

        ledger.commit(List.of(tx.envelope()));

        var expected = new TxStatus(TxValidationCode.VALID, 1);
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(ledger.commitStatus(tx.txId())).isCompletedWithValue(expected);
        assertThat(ledger.awaitedTransactions()).isZero();
    }

    @Test
    void a_duplicate_reports_the_status_of_the_first_occurrence() throws Exception {
        var tx = transaction();
        ledger.commit(List.of(tx.envelope()));
        var waiting = ledger.commitStatus(tx.txId());

        ledger.commit(List.of(tx.envelope()));

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(new TxStatus(TxValidationCode.VALID, 1));
    }

    @Test
    void a_caller_giving_up_does_not_cancel_the_wait_of_another_caller() throws Exception {
        var tx = transaction();
        var impatient = ledger.commitStatus(tx.txId());
        var patient = ledger.commitStatus(tx.txId());

        impatient.cancel(false);
        ledger.commit(List.of(tx.envelope()));

        assertThat(patient.get(5, TimeUnit.SECONDS)).isEqualTo(new TxStatus(TxValidationCode.VALID, 1));
        assertThatThrownBy(impatient::join).isInstanceOf(CancellationException.class);
    }

    @Test
    void waits_for_transactions_that_never_commit_are_forgotten_when_their_callers_give_up() {
        var cancelled = ledger.commitStatus("never-committed-1");
        ledger.commitStatus("never-committed-2").orTimeout(50, TimeUnit.MILLISECONDS);
        var stillWaiting = ledger.commitStatus("never-committed-3");
        assertThat(ledger.awaitedTransactions()).isEqualTo(3);

        cancelled.cancel(false);

        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.awaitedTransactions() == 1);
        assertThat(stillWaiting).isNotDone();
    }

    private static TransactionBuilder transaction() {
        return TransactionBuilder.proposedBy(consortium.client("Org1MSP"))
                .results(RwSet.in(Consortium.CHAINCODE).write("asset-1", "{}").build())
                .endorsedBy(consortium.peer("Org1MSP"), consortium.peer("Org2MSP"));
    }
}
