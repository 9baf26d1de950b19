package io.gridledger.gateway.api;

import io.gridledger.ledger.Job;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A completed job's agreed result: the fingerprint its quorum revealed ({@code SHA-256("gridledger/result/v1" 0 jobId 0
 * digest)}, chaincode/README.md) and how the job ended. Outputs themselves come from object storage.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "JobResult")
public record JobResult(String jobId, Job.Status status, String fingerprint, long runtimeSeconds, Job.Outcome outcome) {
}
