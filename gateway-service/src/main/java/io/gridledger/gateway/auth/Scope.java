package io.gridledger.gateway.auth;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a partner's credential lets it do. A token or JWT carries them as strings ({@code jobs:read jobs:write}).
 *
 * <ul>
 *   <li>{@code jobs:read} — its own jobs, their results and event streams</li>
 *   <li>{@code jobs:write} — submit and cancel its own jobs</li>
 *   <li>{@code accounts:read} — its own account and balance</li>
 *   <li>{@code offers:read} — the market: offers, reputation, the consortium's parameters and members</li>
 *   <li>{@code admin} — the org admin role: deposits, withdrawals, governance, tokens (signed as the org admin)</li>
 * </ul>
 */
@Serdeable
public enum Scope {
    JOBS_READ("jobs:read"),
    JOBS_WRITE("jobs:write"),
    ACCOUNTS_READ("accounts:read"),
    OFFERS_READ("offers:read"),
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    /** As written in tokens and JWT claims. */
    @JsonValue
    public String value() {
        return value;
    }

    public static Optional<Scope> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }

    /** For JSON: an unknown scope is a client's mistake, named in the error. */
    @JsonCreator
    public static Scope of(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown scope '" + value + "'; known: "
                + Arrays.stream(values()).map(Scope::value).toList()));
    }

    @Override
    public String toString() {
        return value;
    }
}
