package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/** A replica's opened commitment ({@code RevealResult}): the result fingerprint and the runtime it reports. */
@Serdeable
public record ReplicaReveal(String jobId, int index, int attempt, String nodeId, String fingerprint,
                            long runtimeSeconds, long revealedAt) {
}
