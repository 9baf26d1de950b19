package io.gridledger.devnet.peer;

import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.scc.SystemChaincodes;
import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.TransactionBuilder;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proposals a peer's endorser refuses before running any chaincode, with the status and messages of Fabric 2.5's
 * {@code Endorser.ProcessProposal} and {@code preProcess}. No chaincode connection is needed: nothing gets that far.
 */
class EndorserTest {

    private static final Consortium consortium = Consortium.shared();

    @Test
    void a_proposal_for_another_channel_is_refused() {
        var outcome = process(TransactionBuilder.proposedBy(consortium.client("Org1MSP")).channel("elsewhere").signedProposal(),
                txId -> false);

        assertRefused(outcome, "channel 'elsewhere' not found");
    }

    @Test
    void a_proposal_that_fails_validation_is_refused_as_an_error_validating_it() {
        var forged = TransactionBuilder.proposedBy(consortium.client("Org1MSP")).signedBy(consortium.client("Org3MSP"));

        assertRefused(process(forged.signedProposal(), txId -> false),
                "error validating proposal: access denied: channel [gridledger] creator org [Org1MSP]");
    }

    @Test
    void a_proposal_whose_transaction_is_already_committed_is_a_duplicate() {
        var client = consortium.client("Org2MSP");
        var proposal = TransactionBuilder.proposedBy(client);

        var outcome = process(proposal.signedProposal(), proposal.txId()::equals);

        assertRefused(outcome, "duplicate transaction found [" + proposal.txId() + "]. Creator ["
                + HexFormat.of().formatHex(client.serialized().toByteArray()) + "]");
    }

    @Test
    void a_proposal_to_an_undefined_chaincode_is_refused() {
        var outcome = process(TransactionBuilder.proposedBy(consortium.client("Org1MSP")).chaincode("unknown").signedProposal(),
                txId -> false);

        assertRefused(outcome, "make sure the chaincode unknown has been successfully defined on channel gridledger "
                + "and try again: chaincode unknown not found");
    }

    private static Endorser.Outcome process(SignedProposal proposal, Predicate<String> committed) {
        var endorser = new Endorser(Consortium.CHANNEL, consortium.peer("Org1MSP"), consortium.msps(), new WorldState(),
                committed, Map.of(Consortium.CHAINCODE, consortium.definition()), Map.of(), SystemChaincodes.none());
        return endorser.process(proposal).join();
    }

    private static void assertRefused(Endorser.Outcome outcome, String message) {
        assertThat(outcome.rejection()).contains(message);
        assertThat(outcome.endorsed()).isFalse();
        assertThat(outcome.response().getResponse().getStatus()).isEqualTo(500);
        assertThat(outcome.response().getResponse().getMessage()).isEqualTo(message);
    }
}
