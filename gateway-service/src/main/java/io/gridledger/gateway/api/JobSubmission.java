package io.gridledger.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.Resources;
import io.gridledger.ledger.Verification;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;

/**
 * A job as a partner submits it: a container pinned by digest, its inputs by SHA-256, the resources one replica
 * needs, the most it pays, how it is verified and when it must be done. The gateway chooses the job's id (from the
 * partner and the Idempotency-Key). Unknown fields are refused.
 *
 * @param image          container image pinned by digest: {@code name@sha256:<64 hex>}
 * @param maxUnitPrice   the most credits per resource-unit-second on any offer
 * @param timeoutSeconds the longest one replica may run (at most 30 days)
 * @param minReputation  reputation floor (0–1000) of the nodes it may run on
 * @param deadline       epoch second by which the job must be complete
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "JobSubmission")
public record JobSubmission(
        @NotBlank @Pattern(regexp = "[a-z0-9]+(?:[._/:-][a-z0-9]+)*@sha256:[0-9a-f]{64}",
                message = "must be an image pinned by digest: name@sha256:<64 lowercase hex>") String image,
        @Nullable @Size(max = 256) List<@NotNull @Size(max = 4096) String> command,
        @Nullable @Size(max = 128) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}",
                message = "must be an environment variable name") String, @NotNull @Size(max = 4096) String> env,
        @Nullable @Size(max = 256) List<@NotNull @Valid Input> inputs,
        @NotNull @Valid ResourceRequest resources,
        @NotNull @Positive @Max(1_000_000_000_000L) Long maxUnitPrice,
        @NotNull @Positive @Max(2_592_000) Long timeoutSeconds,
        @Nullable @Valid VerificationRequest verification,
        @Nullable @Min(0) @Max(1000) Integer minReputation,
        @NotNull @Positive Long deadline) {

    /** An input object in this org's object store, addressed by its SHA-256. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "JobInput")
    public record Input(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}", message = "must be a plain file name") String name,
            @NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be the SHA-256 of the object: 64 lowercase hex") String sha256,
            @NotNull @PositiveOrZero Long sizeBytes) {
    }

    /** What one replica needs. */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "ResourceRequest")
    public record ResourceRequest(
            @NotNull @Positive @Max(1_024_000) Long cpuMillis,
            @NotNull @Positive @Max(16L * 1024 * 1024) Long memoryMiB,
            @Nullable @PositiveOrZero @Max(64) Integer gpuCount,
            @Nullable @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,63}", message = "must be a lowercase token such as nvidia-a100") String gpuModel,
            @Nullable @PositiveOrZero Long storageMiB,
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,63}", message = "must be a lowercase token such as amd64") String arch,
            @Nullable @Size(max = 32) Map<@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._/-]{0,62}", message = "must be a label key") String,
                    @NotNull @Size(max = 128) String> labels) {

        Resources toLedger() {
            return new Resources(cpuMillis, memoryMiB, gpuCount == null ? 0 : gpuCount, gpuModel,
                    storageMiB == null ? 0 : storageMiB, arch, labels);
        }
    }

    /** One execution, or {@code replicas} on distinct orgs of which {@code quorum} must agree (defaults: the consortium's). */
    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    @Schema(name = "VerificationRequest")
    public record VerificationRequest(
            @NotNull Verification.Mode mode,
            @Nullable @PositiveOrZero @Max(64) Integer replicas,
            @Nullable @PositiveOrZero @Max(64) Integer quorum,
            @Nullable @Positive @Max(64) Integer maxReplicas,
            @Nullable Boolean sameOrgReplicas) {
    }

    /** The same submission with other inputs (a multipart submission fills in the digests of the files it carried). */
    public JobSubmission withInputs(@Nullable List<Input> inputs) {
        return new JobSubmission(image, command, env, inputs, resources, maxUnitPrice, timeoutSeconds, verification,
                minReputation, deadline);
    }

    /** The ledger's spec of this submission under {@code jobId}. */
    public JobSpec toSpec(String jobId) {
        var v = verification == null
                ? new Verification(Verification.Mode.REPLICATED, 0, 0, null, null)
                : new Verification(verification.mode(), orZero(verification.replicas()), orZero(verification.quorum()),
                verification.maxReplicas(), verification.sameOrgReplicas());
        return new JobSpec(jobId, image, command, env,
                inputs == null ? null : inputs.stream().map(i -> new JobSpec.InputRef(i.name(), i.sha256(), i.sizeBytes())).toList(),
                resources.toLedger(), maxUnitPrice, timeoutSeconds, v, minReputation == null ? 0 : minReputation, deadline);
    }

    private static int orZero(@Nullable Integer value) {
        return value == null ? 0 : value;
    }
}
