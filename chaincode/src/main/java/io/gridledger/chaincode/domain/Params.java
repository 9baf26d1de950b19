package io.gridledger.chaincode.domain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.gridledger.chaincode.domain.Rejection.require;
import static io.gridledger.chaincode.domain.Rejection.requirePresent;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * Consortium parameters. They live on the ledger under one key and change only through a governance
 * proposal approved by a majority of member orgs; each change gets the next {@code version}. A job records the
 * terms it was submitted under ({@link Terms}), so a change never alters a running job's settlement.
 *
 * @param members               MSP IDs of the member orgs (sorted, unique, at most {@link #MAX_MEMBERS})
 * @param version               assigned by the ledger: 1 at bootstrap, +1 per applied change (absent or 0 in requests)
 * @param feeBasisPoints        consortium fee on provider payments, in 1/10000 (250 = 2.5 %)
 * @param minStakePerSlot       collateral an offer must lock per slot of capacity
 * @param slashBasisPoints      share of a slot's collateral lost per wrong or missing result, in 1/10000
 * @param defaultReplicas       replicas used when a job asks for replication without saying how many
 * @param defaultQuorum         quorum used with {@code defaultReplicas}
 * @param commitGraceSeconds    time after the job's timeout within which an assigned node must commit
 * @param revealWindowSeconds   time after the commit phase closes within which committed nodes must reveal
 * @param matchScanLimit        offers one job may examine while matching (bounds matching cost)
 * @param clockToleranceSeconds how far a proposal's timestamp may be from an endorsing peer's clock
 * @param reputationUnitCredits credits paid for agreeing work that count as one unit of positive evidence
 * @param reputationCapPerOrg   most units of positive evidence one client org can give a provider node
 * @param units                 weights that turn resources into resource units (see {@link ResourceUnits})
 */
public record Params(
        List<String> members,
        Long version,
        int feeBasisPoints,
        long minStakePerSlot,
        int slashBasisPoints,
        int defaultReplicas,
        int defaultQuorum,
        long commitGraceSeconds,
        long revealWindowSeconds,
        int matchScanLimit,
        long clockToleranceSeconds,
        long reputationUnitCredits,
        int reputationCapPerOrg,
        ResourceUnits units) {

    /** The most credits any amount, balance or escrow can hold; also the bound of all credits in existence. */
    public static final long MAX_CREDITS = 1_000_000_000_000_000L;
    public static final int MAX_MEMBERS = 64;
    /**
     * Net credits one org may issue (deposits minus withdrawals). With at most {@link #MAX_MEMBERS} orgs, all
     * credits in existence stay within {@link #MAX_CREDITS}, so no balance can overflow and a credit to an
     * account never fails.
     */
    public static final long ORG_SUPPLY_LIMIT = MAX_CREDITS / MAX_MEMBERS;
    /** The tolerance used before parameters exist (the bootstrap transactions themselves). */
    public static final long DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

    public Params {
        requirePresent("members", members);
        require(!members.isEmpty(), "members must name at least one MSP ID");
        require(members.size() <= MAX_MEMBERS, "members: at most " + MAX_MEMBERS + " orgs");
        Set<String> sorted = new TreeSet<>();
        for (var member : members) {
            require(member != null && Ids.isMspId(member), "members: invalid MSP ID '" + member + "'");
            require(sorted.add(member), "members: duplicate MSP ID '" + member + "'");
        }
        members = List.copyOf(sorted);
        version = version == null ? 0L : version;
        requireRange("version", version, 0, Long.MAX_VALUE - 1);
        requireRange("feeBasisPoints", feeBasisPoints, 0, 5_000);
        requireRange("minStakePerSlot", minStakePerSlot, 0, MAX_CREDITS / OfferSpec.MAX_SLOTS);
        requireRange("slashBasisPoints", slashBasisPoints, 0, 10_000);
        requireRange("defaultReplicas", defaultReplicas, 2, Verification.MAX_REPLICAS);
        requireRange("defaultQuorum", defaultQuorum, 2, defaultReplicas);
        require(2 * defaultQuorum > defaultReplicas, "defaultQuorum must be a majority of defaultReplicas");
        requireRange("commitGraceSeconds", commitGraceSeconds, 1, 7 * 86_400);
        requireRange("revealWindowSeconds", revealWindowSeconds, 1, 7 * 86_400);
        requireRange("matchScanLimit", matchScanLimit, 1, 10_000);
        requireRange("clockToleranceSeconds", clockToleranceSeconds, 1, 3_600);
        requireRange("reputationUnitCredits", reputationUnitCredits, 1, MAX_CREDITS);
        requireRange("reputationCapPerOrg", reputationCapPerOrg, 1, 1_000_000);
        requirePresent("units", units);
    }

    /** Sensible parameters for a new consortium of the given members. */
    public static Params defaults(List<String> members) {
        return new Params(members, 0L, 250, 1_000_000, 1_000, 2, 2, 300, 300, 200, 60, 10_000, 100,
                ResourceUnits.DEFAULT);
    }

    /** Number of orgs that make a majority of the members. */
    public int majority() {
        return members.size() / 2 + 1;
    }

    public boolean isMember(String mspId) {
        return members.contains(mspId);
    }

    /** The same parameters as the ledger's version {@code newVersion}. */
    public Params withVersion(long newVersion) {
        return new Params(members, newVersion, feeBasisPoints, minStakePerSlot, slashBasisPoints, defaultReplicas,
                defaultQuorum, commitGraceSeconds, revealWindowSeconds, matchScanLimit, clockToleranceSeconds,
                reputationUnitCredits, reputationCapPerOrg, units);
    }
}
