package io.gridledger.ledger;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * What a client submits ({@code SubmitJob}): a container job and the terms it pays under. The contract validates it
 * (see chaincode/README.md); a malformed spec is refused with {@link ContractErrorCode#INVALID_ARGUMENT}.
 *
 * @param jobId          chosen by the caller: a retried submission cannot create a second job
 * @param image          container image pinned by digest, {@code name@sha256:…}
 * @param inputs         input objects addressed by SHA-256 in the client org's object store
 * @param maxUnitPrice   most credits per resource-unit-second on any offer
 * @param timeoutSeconds longest one replica may run
 * @param minReputation  reputation floor (0–1000) of the nodes it may run on
 * @param deadline       epoch second by which the job must be complete
 */
@Serdeable
public record JobSpec(String jobId, String image, @Nullable List<String> command, @Nullable Map<String, String> env,
                      @Nullable List<InputRef> inputs, Resources resources, long maxUnitPrice, long timeoutSeconds,
                      Verification verification, int minReputation, long deadline) {

    /** An input object: its file name in the container's input folder, its SHA-256 (its address) and size. */
    @Serdeable
    public record InputRef(String name, String sha256, long sizeBytes) {
    }
}
