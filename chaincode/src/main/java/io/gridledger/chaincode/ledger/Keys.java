package io.gridledger.chaincode.ledger;

import org.hyperledger.fabric.shim.ledger.CompositeKey;

/**
 * Every ledger key the chaincode uses, built in one place. All keys are Fabric composite keys
 * ({@code \u0000type\u0000attr\u0000…}), so each family can be range-scanned by prefix.
 *
 * <pre>
 * params                                   consortium parameters (with their version)
 * bootstrap  paramsHash                    a proposed set of genesis parameters and the orgs that approved it
 * proposal   proposalId                    a parameter change: the version it amends, its expiry, its approvals
 * supply     org                           net credits the org issued (deposits − withdrawals), bounded
 * account    accountId                     index of accounts that ever received credits
 * balance    accountId, shard              spendable credits, spread over {@link #BALANCE_SHARDS} keys
 * credit     accountId, time, txId         credits received, one key per transaction (written blind, folded later)
 * escrow     jobId                         credits held for a job (state-based endorsement)
 * offer      offerId                       an offer: terms, stake, status
 * slots      offerId                       the offer's busy slots: slot → job#replica#attempt
 * market     class, price, offerId         an active offer with a free slot: what matching reads
 * offerByNode nodeId, offerId              index: a node's offers
 * offerByClass class, price, offerId       index: offers by resource class, cheapest first
 * job        jobId                         a job (state-based endorsement once assigned)
 * replica    jobId, index                  a replica's assignment (node, slot, price, deadline)
 * commit     jobId, index                  the replica's commitment, written by its node
 * reveal     jobId, index                  the replica's reveal, written by its node
 * jobByClient clientId, jobId              index
 * jobByNode  nodeId, jobId                 index: jobs a provider node served
 * jobByStatus status, jobId                index
 * queue      class, createdAt, jobId       jobs awaiting matching (queued, or waiting for tie-breakers), oldest first
 * reputation org, nodeId                   a node's compacted reputation record
 * repDelta   org, nodeId, time, txId       evidence one transaction added to a node's reputation (written blind)
 * </pre>
 *
 * <p>Prices and times are zero-padded to 19 digits so that key order is numeric order.
 */
public final class Keys {

    public static final int BALANCE_SHARDS = 64;
    public static final String TREASURY = "treasury";

    private Keys() {
    }

    public static String params() {
        return key("params");
    }

    public static String bootstrap(String paramsHash) {
        return key("bootstrap", paramsHash);
    }

    public static String proposal(String proposalId) {
        return key("proposal", proposalId);
    }

    public static String supply(String org) {
        return key("supply", org);
    }

    public static String account(String accountId) {
        return key("account", accountId);
    }

    public static String allAccounts() {
        return key("account");
    }

    public static String balance(String accountId, int shard) {
        return key("balance", accountId, String.format("%02d", shard));
    }

    public static String balancesOf(String accountId) {
        return key("balance", accountId);
    }

    public static String credit(String accountId, long time, String txId) {
        return key("credit", accountId, padded(time), txId);
    }

    public static String creditsOf(String accountId) {
        return key("credit", accountId);
    }

    public static String escrow(String jobId) {
        return key("escrow", jobId);
    }

    public static String offer(String offerId) {
        return key("offer", offerId);
    }

    public static String slots(String offerId) {
        return key("slots", offerId);
    }

    public static String market(String resourceClass, long price, String offerId) {
        return key("market", resourceClass, padded(price), offerId);
    }

    public static String marketOf(String resourceClass) {
        return key("market", resourceClass);
    }

    public static String offerByNode(String nodeId, String offerId) {
        return key("offerByNode", nodeId, offerId);
    }

    public static String offersOfNode(String nodeId) {
        return key("offerByNode", nodeId);
    }

    public static String offerByClass(String resourceClass, long price, String offerId) {
        return key("offerByClass", resourceClass, padded(price), offerId);
    }

    public static String offersOfClass(String resourceClass) {
        return key("offerByClass", resourceClass);
    }

    public static String job(String jobId) {
        return key("job", jobId);
    }

    public static String replica(String jobId, int index) {
        return key("replica", jobId, String.format("%02d", index));
    }

    public static String commit(String jobId, int index) {
        return key("commit", jobId, String.format("%02d", index));
    }

    public static String reveal(String jobId, int index) {
        return key("reveal", jobId, String.format("%02d", index));
    }

    public static String jobByClient(String clientId, String jobId) {
        return key("jobByClient", clientId, jobId);
    }

    public static String jobsOfClient(String clientId) {
        return key("jobByClient", clientId);
    }

    public static String jobByNode(String nodeId, String jobId) {
        return key("jobByNode", nodeId, jobId);
    }

    public static String jobsOfNode(String nodeId) {
        return key("jobByNode", nodeId);
    }

    public static String jobByStatus(String status, String jobId) {
        return key("jobByStatus", status, jobId);
    }

    public static String jobsWithStatus(String status) {
        return key("jobByStatus", status);
    }

    public static String queued(String resourceClass, long createdAt, String jobId) {
        return key("queue", resourceClass, padded(createdAt), jobId);
    }

    public static String queueOf(String resourceClass) {
        return key("queue", resourceClass);
    }

    public static String reputation(String org, String nodeId) {
        return key("reputation", org, nodeId);
    }

    public static String reputationsOfOrg(String org) {
        return key("reputation", org);
    }

    public static String reputationDelta(String org, String nodeId, long time, String txId) {
        return key("repDelta", org, nodeId, padded(time), txId);
    }

    public static String reputationDeltasOf(String org, String nodeId) {
        return key("repDelta", org, nodeId);
    }

    public static String reputationDeltasOfOrg(String org) {
        return key("repDelta", org);
    }

    /** The attributes of a composite key (without its type). */
    public static java.util.List<String> attributes(String compositeKey) {
        return CompositeKey.parseCompositeKey(compositeKey).getAttributes();
    }

    /** The time attribute of a time-ordered key ({@code credit}, {@code repDelta}) at position {@code index}. */
    public static long timeAttribute(String compositeKey, int index) {
        return Long.parseLong(attributes(compositeKey).get(index));
    }

    private static String key(String type, String... attributes) {
        return new CompositeKey(type, attributes).toString();
    }

    private static String padded(long value) {
        return String.format("%019d", value);
    }
}
