package io.gridledger.devnet.orderer;

import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.RwSet;
import io.gridledger.devnet.testing.TransactionBuilder;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Block cutting as Fabric's orderer does it, on a real ledger: by size, by batch timeout, and never by polling. */
class OrdererTest {

    private static final Consortium consortium = Consortium.shared();

    @TempDir
    Path dir;
    private ChannelLedger ledger;
    private Orderer orderer;

    @BeforeEach
    void openLedger() {
        ledger = consortium.openLedger(dir);
    }

    @AfterEach
    void close() throws Exception {
        if (orderer != null) {
            orderer.close();
        }
        ledger.close();
    }

    @Test
    void an_idle_orderer_waits_for_an_envelope_without_a_timeout() {
        orderer = new Orderer(ledger, consortium.msps(), consortium.policies(), new BatchSettings(Duration.ofMillis(50), 10, 1 << 20, 10 << 20));
        var cutter = cutterThread();

        // A thread polling with a timeout shows TIMED_WAITING; one blocked until an envelope arrives shows WAITING.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> cutter.getState() == Thread.State.WAITING);
        assertThat(ledger.height()).isEqualTo(1);
    }

    @Test
    void a_lone_envelope_is_cut_into_a_block_once_the_batch_timeout_has_passed() throws Exception {
        var timeout = Duration.ofMillis(300);
        orderer = new Orderer(ledger, consortium.msps(), consortium.policies(), new BatchSettings(timeout, 10, 1 << 20, 10 << 20));
        var tx = transaction("asset-1");

        long started = System.nanoTime();
        assertThat(orderer.broadcast(tx.envelope()).getStatus()).isEqualTo(Status.SUCCESS);
        var status = ledger.commitStatus(tx.txId()).get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(timeout);
        assertThat(status.blockNumber()).isEqualTo(1);
    }

    @Test
    void an_orderer_whose_block_cannot_be_stored_halts_and_refuses_further_envelopes() throws Exception {
        orderer = new Orderer(ledger, consortium.msps(), consortium.policies(), new BatchSettings(Duration.ofMillis(50), 10, 1 << 20, 10 << 20));
        ledger.blocks().close(); // the disk goes away: the next append fails

        assertThat(orderer.broadcast(transaction("asset-1").envelope()).getStatus()).isEqualTo(Status.SUCCESS);
        await().atMost(Duration.ofSeconds(10)).until(() -> orderer.halted().isPresent());
        var refused = orderer.broadcast(transaction("asset-2").envelope());

        assertThat(refused.getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(refused.getInfo()).startsWith("the orderer has halted: committing block 1 failed");
    }

    @Test
    void a_full_batch_is_cut_without_waiting_for_the_timeout() {
        orderer = new Orderer(ledger, consortium.msps(), consortium.policies(), new BatchSettings(Duration.ofMinutes(10), 3, 1 << 20, 10 << 20));

        for (int i = 0; i < 3; i++) {
            orderer.broadcast(transaction("asset-" + i).envelope());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> ledger.height() == 2);
        assertThat(ledger.blocks().block(1).orElseThrow().getData().getDataCount()).isEqualTo(3);
    }

    @Test
    void closing_commits_the_accepted_envelopes_at_once_and_refuses_later_ones() throws Exception {
        orderer = new Orderer(ledger, consortium.msps(), consortium.policies(), new BatchSettings(Duration.ofMinutes(10), 100, 1 << 20, 10 << 20));
        orderer.broadcast(transaction("asset-1").envelope());
        orderer.broadcast(transaction("asset-2").envelope());
        var cutter = cutterThread();

        long started = System.nanoTime();
        orderer.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(ledger.height()).isEqualTo(2);
        assertThat(ledger.blocks().block(1).orElseThrow().getData().getDataCount()).isEqualTo(2);
        assertThat(cutter.isAlive()).isFalse();
        Envelope late = transaction("asset-3").envelope();
        assertThat(orderer.broadcast(late).getStatus()).isEqualTo(Status.SERVICE_UNAVAILABLE);
        orderer = null;
    }

    @Test
    void an_envelope_its_creator_did_not_sign_is_forbidden_under_the_channels_writers_policy_in_fabrics_words() {
        orderer = new Orderer(ledger, consortium.msps(), consortium.policies(), new BatchSettings(Duration.ofMillis(50), 10, 1 << 20, 10 << 20));
        var forged = transaction("asset-1").signedBy(consortium.client("Org2MSP"));

        var refused = orderer.broadcast(forged.envelope());

        // orderer/common/msgprocessor/sigfilter.go wraps ErrPermissionDenied in the policy's reason.
        assertThat(refused.getStatus()).isEqualTo(Status.FORBIDDEN);
        assertThat(refused.getInfo()).isEqualTo("implicit policy evaluation failed - 0 sub-policies were satisfied, but "
                + "this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied");
        assertThat(ledger.height()).isEqualTo(1);
    }

    /** The running orderer's block cutter (the orderers of earlier tests have stopped theirs). */
    private static Thread cutterThread() {
        var name = "devnet-orderer-" + Consortium.CHANNEL;
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no live thread " + name));
    }

    private static TransactionBuilder transaction(String key) {
        return TransactionBuilder.proposedBy(consortium.client("Org1MSP"))
                .results(RwSet.in(Consortium.CHAINCODE).write(key, "{}").build())
                .endorsedBy(consortium.peer("Org1MSP"), consortium.peer("Org2MSP"));
    }
}
