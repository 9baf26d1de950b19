package io.gridledger.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answer to an {@link UploadRequest}: {@code stored} when this org's store holds the object already (nothing to
 * upload), else a presigned {@code PUT} URL for exactly those bytes until {@code expiresAt} (epoch ms). Uploaded
 * bytes count once a job submission naming them finds them and their SHA-256 checks out.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "UploadGrant")
public record UploadGrant(String sha256, long sizeBytes, boolean stored, @Nullable String method, @Nullable String url,
                          @Nullable Long expiresAt) {
}
