package io.gridledger.ledger;

import io.micronaut.serde.annotation.Serdeable;

/** An account ({@code <MSP ID>/<common name>}) and its spendable balance in credits. */
@Serdeable
public record Account(String accountId, String org, long balance) {
}
