package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A transaction as its block records it ({@link Ledger#committedTransaction}): where it is, how the peers validated it,
 * which contract function it invoked, who endorsed it and when its client created it.
 *
 * @param function    the invoked function without the contract's name ({@code SettleJob})
 * @param endorsers   each endorsement's signer, in the order of the transaction's endorsements
 * @param createdAt   the transaction's timestamp (its channel header), epoch seconds
 */
@Serdeable
public record CommittedTransaction(String txId, long blockNumber, String validationCode, String function,
                                   List<Endorser> endorsers, long createdAt) {

    /** One endorsement's signer: its org's MSP ID and its certificate's subject. */
    @Serdeable
    public record Endorser(String mspId, String subject) {
    }

    /** The endorsing orgs, each once, in order of first endorsement. */
    public List<String> endorsingOrgs() {
        return endorsers.stream().map(Endorser::mspId).distinct().toList();
    }
}
