package io.gridledger.gateway.api;

import io.gridledger.ledger.Job;
import io.micronaut.core.annotation.Nullable;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/**
 * A page of the partner's jobs; {@code nextCursor} continues it (absent on the last page). A page may hold fewer
 * than {@code pageSize} jobs and still have a next one: follow {@code nextCursor} until it is absent.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "JobPage")
public record JobPage(List<Job> items, @Nullable String nextCursor) {
}
