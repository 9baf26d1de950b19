package io.gridledger.ledger;

import io.gridledger.ledger.testkit.LocalConsortium;
import io.gridledger.ledger.testkit.TestLedgers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import static io.gridledger.ledger.testkit.LocalConsortium.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The facade's additions for crash-safe retries: a submission's tx id before it is sent, and its fate afterwards. */
class TransactionStatusIT {

    @Test
    void a_deposit_tells_its_tx_id_before_submitting_and_the_ledger_then_knows_it_as_valid() {
        LocalConsortium.shared();
        var ledger = TestLedgers.of("Org1MSP");
        long height = ledger.chainHeight("User1");
        var told = new ArrayList<String>();

        var committed = ledger.deposit("Admin", account("Org1MSP", "User1"), 3, told::add);

        assertThat(told).last().isEqualTo(committed.txId());
        assertThat(ledger.transactionStatus("User1", committed.txId())).hasValueSatisfying(s -> assertThat(s.isValid()).isTrue());
        assertThat(ledger.transactionStatus("User1", "0".repeat(64))).isEmpty();
        assertThat(ledger.chainHeight("User1")).isGreaterThan(height);
    }

    @Test
    void a_refused_deposit_is_never_submitted_and_an_observer_that_fails_stops_the_submission() {
        var ledger = TestLedgers.of("Org1MSP");
        var told = new ArrayList<String>();
        assertThatThrownBy(() -> ledger.deposit("User1", account("Org1MSP", "User1"), 3, told::add))
                .isInstanceOf(ContractRefusal.class);
        assertThat(told).isEmpty();

        var before = ledger.getAccount("User1", account("Org1MSP", "User1")).balance();
        var id = new String[1];
        assertThatThrownBy(() -> ledger.deposit("Admin", account("Org1MSP", "User1"), 3, txId -> {
            id[0] = txId;
            throw new IllegalStateException("journal unavailable");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(ledger.transactionStatus("User1", id[0])).isEmpty();
        assertThat(ledger.getAccount("User1", account("Org1MSP", "User1")).balance()).isEqualTo(before);
    }
}
