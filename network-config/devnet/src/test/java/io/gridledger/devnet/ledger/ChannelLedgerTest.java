package io.gridledger.devnet.ledger;

import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.RwSet;
import io.gridledger.devnet.testing.TransactionBuilder;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
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

    @Test
    void a_reopened_ledger_reads_its_state_checkpoint_instead_of_replaying_the_chain() throws Exception {
        ledger.commit(List.of(write("asset-1", "one").envelope(), write("asset-2", "two").envelope()));
        ledger.commit(List.of(write("asset-1", "uno").envelope()));
        var before = snapshot(ledger);
        ledger.close();

        ledger = consortium.openLedger(dir);

        assertThat(ledger.stateRestoredFrom()).isEqualTo(3);
        assertThat(snapshot(ledger)).isEqualTo(before);
        assertThat(ledger.state().history(Consortium.CHAINCODE, "asset-1")).hasSize(2);
    }

    @Test
    void blocks_committed_after_the_checkpoint_are_replayed_on_top_of_it() throws Exception {
        ledger.commit(List.of(write("asset-1", "one").envelope()));
        ledger.close();
        var older = Files.readAllBytes(dir.resolve(StateCheckpoint.FILE));
        ledger = consortium.openLedger(dir);
        ledger.commit(List.of(write("asset-1", "uno").envelope(), write("asset-3", "three").envelope()));
        var expected = snapshot(ledger);
        ledger.close();
        // As if the process had been killed before writing a newer checkpoint.
        Files.write(dir.resolve(StateCheckpoint.FILE), older);

        ledger = consortium.openLedger(dir);

        assertThat(ledger.stateRestoredFrom()).isEqualTo(2);
        assertThat(snapshot(ledger)).isEqualTo(expected);
    }

    @Test
    void a_damaged_checkpoint_or_one_of_another_chain_is_ignored_and_the_state_rebuilt_from_the_blocks(
            @TempDir Path otherChain) throws Exception {
        ledger.commit(List.of(write("asset-1", "one").envelope()));
        var expected = snapshot(ledger);
        ledger.close();
        var file = dir.resolve(StateCheckpoint.FILE);
        var bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);

        ledger = consortium.openLedger(dir);
        assertThat(ledger.stateRestoredFrom()).isZero();
        assertThat(snapshot(ledger)).isEqualTo(expected);
        ledger.close();

        var other = consortium.openLedger(otherChain);
        other.commit(List.of(write("asset-9", "elsewhere").envelope()));
        other.close();
        Files.copy(otherChain.resolve(StateCheckpoint.FILE), file, StandardCopyOption.REPLACE_EXISTING);
        ledger = consortium.openLedger(dir);
        assertThat(ledger.stateRestoredFrom()).isZero();
        assertThat(snapshot(ledger)).isEqualTo(expected);
    }

    /** Every key of the chaincode's namespace with its value and version. */
    private static Map<String, String> snapshot(ChannelLedger ledger) {
        var values = new TreeMap<String, String>();
        ledger.state().range(Consortium.CHAINCODE, "", "", false).forEach((key, value) ->
                values.put(key, value.value().toStringUtf8() + "@" + value.version()));
        return values;
    }

    private static TransactionBuilder write(String key, String value) {
        return TransactionBuilder.proposedBy(consortium.client("Org1MSP"))
                .results(RwSet.in(Consortium.CHAINCODE).write(key, value).build())
                .endorsedBy(consortium.peer("Org1MSP"), consortium.peer("Org2MSP"));
    }

    private static TransactionBuilder transaction() {
        return write("asset-1", "{}");
    }
}
