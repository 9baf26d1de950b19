package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** Which orgs approved a set of genesis parameters ({@code InitLedger}, {@code GetBootstrap}), and whether they applied. */
@Serdeable
public record Bootstrap(String paramsHash, Parameters params, List<String> approvals, boolean applied) {
}
