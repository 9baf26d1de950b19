package io.gridledger.chaincode.domain;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.gridledger.chaincode.domain.Rejection.require;
import static io.gridledger.chaincode.domain.Rejection.requirePresent;
import static io.gridledger.chaincode.domain.Rejection.requireRange;

/**
 * Consortium parameters. They live on the ledger under one key and change only through a governance
 * proposal approved by a majority of member orgs.
 *
 * @param members              MSP IDs of the member orgs (sorted, unique); endorsement policies are built from it
 * @param feeBasisPoints       consortium fee on provider payments, in 1/10000 (250 = 2.5 %)
 * @param minStake             credits an offer must lock to be published
 * @param slashBasisPoints     share of an offer's stake lost per wrong or missing result, in 1/10000
 * @param defaultReplicas      replicas used when a job asks for replication without saying how many
 * @param defaultQuorum        quorum used with {@code defaultReplicas}
 * @param commitGraceSeconds   time after the job's timeout within which an assigned node must commit
 * @param revealWindowSeconds  time after the commit phase closes within which committed nodes must reveal
 * @param matchScanLimit       free slots one job may examine while matching (bounds matching cost)
 * @param units                weights that turn resources into resource units (see {@link ResourceUnits})
 */
public record Params(
        List<String> members,
        int feeBasisPoints,
        long minStake,
        int slashBasisPoints,
        int defaultReplicas,
        int defaultQuorum,
        long commitGraceSeconds,
        long revealWindowSeconds,
        int matchScanLimit,
        ResourceUnits units) {

    public static final long MAX_CREDITS = 1_000_000_000_000_000L;

    public Params {
        requirePresent("members", members);
        require(!members.isEmpty(), "members must name at least one MSP ID");
        Set<String> sorted = new TreeSet<>();
        for (var member : members) {
            require(member != null && Ids.isMspId(member), "members: invalid MSP ID '" + member + "'");
            require(sorted.add(member), "members: duplicate MSP ID '" + member + "'");
        }
        members = List.copyOf(sorted);
        requireRange("feeBasisPoints", feeBasisPoints, 0, 5_000);
        requireRange("minStake", minStake, 0, MAX_CREDITS);
        requireRange("slashBasisPoints", slashBasisPoints, 0, 10_000);
        requireRange("defaultReplicas", defaultReplicas, 1, Verification.MAX_REPLICAS);
        requireRange("defaultQuorum", defaultQuorum, 1, defaultReplicas);
        require(2 * defaultQuorum > defaultReplicas, "defaultQuorum must be a majority of defaultReplicas");
        requireRange("commitGraceSeconds", commitGraceSeconds, 1, 7 * 86_400);
        requireRange("revealWindowSeconds", revealWindowSeconds, 1, 7 * 86_400);
        requireRange("matchScanLimit", matchScanLimit, 1, 10_000);
        requirePresent("units", units);
    }

    /** Sensible parameters for a new consortium of the given members. */
    public static Params defaults(List<String> members) {
        return new Params(members, 250, 1_000_000, 1_000, 2, 2, 300, 300, 200, ResourceUnits.DEFAULT);
    }

    /** Number of orgs that make a majority of the members. */
    public int majority() {
        return members.size() / 2 + 1;
    }

    public boolean isMember(String mspId) {
        return members.contains(mspId);
    }
}
