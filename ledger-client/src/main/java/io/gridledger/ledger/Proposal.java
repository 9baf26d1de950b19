package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A proposed parameter change and the orgs that approved it so far. */
@Serdeable
public record Proposal(String proposalId, Parameters params, long amendsVersion, long expiresAt, String proposedBy,
                       long proposedAt, Status status, List<String> approvals) {

    public enum Status { OPEN, APPLIED }
}
