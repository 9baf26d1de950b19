package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/** A replica's commitment ({@code CommitResult}), made by its node. */
@Serdeable
public record ReplicaCommit(String jobId, int index, int attempt, String nodeId, String commitment, long committedAt) {
}
