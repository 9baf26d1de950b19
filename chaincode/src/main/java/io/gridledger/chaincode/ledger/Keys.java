package io.gridledger.chaincode.ledger;

import org.hyperledger.fabric.shim.ledger.CompositeKey;

/**
 * Every ledger key the chaincode uses, built in one place. All keys are Fabric composite keys
 * ({@code \u0000type\u0000attr\u0000…}), so each family can be range-scanned by prefix.
 *
 * <pre>
 * params                                   consortium parameters
 * proposal   proposalId                    a pending parameter change
 * balance    accountId, shard              credits; an account is spread over {@link #BALANCE_SHARDS} keys
 * escrow     jobId                         credits held for a job (state-based endorsement)
 * offer      offerId                       an offer
 * offerByNode nodeId, offerId              index: a node's offers
 * offerByClass class, price, offerId       index: offers by resource class, cheapest first
 * free       class, price, offerId, slot   the market: one entry per free slot, cheapest first
 * busy       offerId, slot                 a slot in use, naming the job and replica holding it
 * job        jobId                         a job (state-based endorsement once assigned)
 * replica    jobId, index                  one replica of a job
 * commitment jobId, commitment             a commitment already used in a job (refuses copies)
 * jobByClient clientId, jobId              index
 * jobByNode  nodeId, jobId                 index: jobs a provider node served
 * jobByStatus status, jobId                index
 * queue      class, createdAt, jobId       queued jobs of a class in submission order
 * reputation org, nodeId, shard            a node's record, spread over {@link #REPUTATION_SHARDS} keys
 * </pre>
 *
 * <p>Prices and times are zero-padded to 19 digits so that key order is numeric order.
 */
public final class Keys {

    public static final int BALANCE_SHARDS = 16;
    public static final int REPUTATION_SHARDS = 4;
    public static final String TREASURY = "treasury";

    private Keys() {
    }

    public static String params() {
        return key("params");
    }

    public static String proposal(String proposalId) {
        return key("proposal", proposalId);
    }

    public static String balance(String accountId, int shard) {
        return key("balance", accountId, shard(shard));
    }

    public static String allBalances() {
        return key("balance");
    }

    public static String escrow(String jobId) {
        return key("escrow", jobId);
    }

    public static String offer(String offerId) {
        return key("offer", offerId);
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

    public static String freeSlot(String resourceClass, long price, String offerId, int slot) {
        return key("free", resourceClass, padded(price), offerId, String.format("%04d", slot));
    }

    public static String freeSlotsOfClass(String resourceClass) {
        return key("free", resourceClass);
    }

    public static String busySlot(String offerId, int slot) {
        return key("busy", offerId, String.format("%04d", slot));
    }

    public static String busySlotsOf(String offerId) {
        return key("busy", offerId);
    }

    public static String job(String jobId) {
        return key("job", jobId);
    }

    public static String replica(String jobId, int index) {
        return key("replica", jobId, String.format("%02d", index));
    }

    public static String commitment(String jobId, String commitment) {
        return key("commitment", jobId, commitment);
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

    public static String reputation(String org, String nodeId, int shard) {
        return key("reputation", org, nodeId, shard(shard));
    }

    public static String reputationOfOrg(String org) {
        return key("reputation", org);
    }

    /** The attributes of a composite key (without its type). */
    public static java.util.List<String> attributes(String compositeKey) {
        return CompositeKey.parseCompositeKey(compositeKey).getAttributes();
    }

    private static String key(String type, String... attributes) {
        return new CompositeKey(type, attributes).toString();
    }

    private static String padded(long value) {
        return String.format("%019d", value);
    }

    private static String shard(int shard) {
        return String.format("%02d", shard);
    }
}
