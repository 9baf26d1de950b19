package io.gridledger.ledger;

import java.util.List;
import java.util.Set;

/**
 * The GridLedger contract as this gateway calls it: one method per contract transaction, typed values in and out,
 * each acting as one of this org's Fabric identities ({@code identity}: a name the {@link Identities} know, such as
 * {@code Admin}, {@code User1}, {@code node1}). Callers never see the Fabric SDK.
 *
 * <p>Submitting methods return once the transaction committed valid ({@link Committed}: value, tx id, block);
 * read conflicts are retried with backoff. Every failure is a {@link LedgerException}: a {@link ContractRefusal}
 * carries the contract's {@link ContractErrorCode} and is never retried.
 *
 * <pre>{@code
 * var job = ledger.submitJob("User1", spec);                 // Committed<Job>, QUEUED
 * var report = ledger.matchJobs("User1", List.of(spec.jobId()), List.of());
 * ledger.getJob("User1", spec.jobId()).job().status();      // RUNNING
 * }</pre>
 *
 * <p>Endorsers are planned by the Fabric Gateway from the chaincode's policy and the key-level policies of the keys a
 * transaction writes, except where a method takes {@code endorsingOrgs}.
 */
public interface Ledger {

    // --- governance ---

    /**
     * Approves genesis parameters for the identity's org (an admin). The approval that completes a majority applies
     * them, and only peers of approving orgs endorse that: pass them as {@code endorsingOrgs} (empty: let the
     * gateway plan, right for every approval but the completing one).
     */
    Committed<Bootstrap> initLedger(String identity, Parameters params, Set<String> endorsingOrgs);

    Bootstrap getBootstrap(String identity, Parameters params);

    Committed<Proposal> proposeParameters(String identity, String proposalId, long amendsVersion, long expiresAt,
                                          Parameters params);

    Committed<Proposal> approveProposal(String identity, String proposalId);

    Parameters getParameters(String identity);

    Proposal getProposal(String identity, String proposalId);

    // --- accounts ---

    Committed<Account> deposit(String identity, String accountId, long amount);

    Committed<Account> withdraw(String identity, String accountId, long amount);

    /** {@link #deposit(String, String, long)}, telling {@code observer} each attempt's tx id before it is submitted. */
    Committed<Account> deposit(String identity, String accountId, long amount, SubmitObserver observer);

    /** {@link #withdraw(String, String, long)}, telling {@code observer} each attempt's tx id before it is submitted. */
    Committed<Account> withdraw(String identity, String accountId, long amount, SubmitObserver observer);

    /** From the identity's own account; returns the receiving account. */
    Committed<Account> transfer(String identity, String toAccountId, long amount);

    Committed<Account> compactAccount(String identity, String accountId);

    Account getAccount(String identity, String accountId);

    /** The identity's own account. */
    Account whoAmI(String identity);

    Page<Account> listAccounts(String identity, PageRequest page);

    // --- offers ---

    Committed<Offer> publishOffer(String identity, OfferSpec offer);

    Committed<Offer> updateOffer(String identity, OfferSpec offer);

    Committed<Offer> pauseOffer(String identity, String offerId);

    Committed<Offer> resumeOffer(String identity, String offerId);

    Committed<Offer> withdrawOffer(String identity, String offerId);

    Offer getOffer(String identity, String offerId);

    /** Offers of a resource class, cheapest first; {@code maxUnitPrice} 0 lists any price. */
    Page<Offer> listOffers(String identity, String resourceClass, long maxUnitPrice, PageRequest page);

    Page<Offer> listOffersByNode(String identity, String nodeId, PageRequest page);

    // --- jobs ---

    Committed<Job> submitJob(String identity, JobSpec job);

    /** Returns the slots of {@code releaseJobIds} (ended jobs) to the market, then matches {@code jobIds}. At most 100 each. */
    Committed<MatchReport> matchJobs(String identity, List<String> jobIds, List<String> releaseJobIds);

    /** Matches the oldest waiting jobs of a resource class (at most {@code limit}), after releasing slots. */
    Committed<MatchReport> matchQueue(String identity, String resourceClass, int limit, List<String> releaseJobIds);

    Committed<MatchReport> releaseSlots(String identity, List<String> jobIds);

    /** A provider node's commitment (see chaincode/README.md for its format). */
    Committed<ReplicaCommit> commitResult(String identity, String jobId, int replica, String commitment);

    /** Opens a commitment: the fingerprint, or for a tie-breaker (round 1) the digest, with the salt (hex). */
    Committed<ReplicaReveal> revealResult(String identity, String jobId, int replica, String result, String salt,
                                          long runtimeSeconds);

    Committed<Job> settleJob(String identity, String jobId);

    Committed<Job> expireJob(String identity, String jobId);

    Committed<Job> cancelJob(String identity, String jobId);

    JobView getJob(String identity, String jobId);

    List<HistoryEntry> getJobHistory(String identity, String jobId);

    Page<Job> listJobsByClient(String identity, String clientId, PageRequest page);

    Page<Job> listJobsByNode(String identity, String nodeId, PageRequest page);

    Page<Job> listJobsByStatus(String identity, Job.Status status, PageRequest page);

    // --- reputation ---

    ReputationView getNodeReputation(String identity, String nodeId);

    ReputationView getOrgReputation(String identity, String mspId);

    Committed<ReputationView> compactReputation(String identity, String nodeId);

    // --- the ledger itself ---

    /**
     * Whether transaction {@code txId} is in a block, and validated how (the peer's ledger, {@code qscc}); empty when
     * the peer has no such transaction (not ordered, or not yet).
     */
    java.util.Optional<TransactionStatus> transactionStatus(String identity, String txId);

    /**
     * Transaction {@code txId} as its block records it (qscc {@code GetBlockByTxID}): block number, validation code,
     * function, endorsers; empty when the peer has no such transaction.
     */
    java.util.Optional<CommittedTransaction> committedTransaction(String identity, String txId);

    /** The number of blocks the peer's ledger holds: the next block's number. */
    long chainHeight(String identity);

    /** The channel's member orgs by MSP ID with their CAs, from the channel configuration (cscc GetChannelConfig). */
    java.util.Map<String, ChannelMsp> channelMsps(String identity);

    // --- events ---

    /**
     * The contract's events from {@code from} on, as blocks commit: an endless stream until closed. Reading resumes
     * exactly after a processed event with that event's {@link ChaincodeEvent#checkpoint()}.
     */
    EventStream events(String identity, EventCheckpoint from);
}
