package io.gridledger.gateway.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * A partner announces an input it will upload: its SHA-256 and size. The gateway answers a presigned PUT URL, or that
 * the object is stored already.
 */
@Serdeable
@JsonIgnoreProperties(ignoreUnknown = false)
@Schema(name = "UploadRequest")
public record UploadRequest(
        @NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be the SHA-256 of the bytes: 64 lowercase hex") String sha256,
        @NotNull @PositiveOrZero Long sizeBytes) {
}
