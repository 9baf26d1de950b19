package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.Caller;
import io.gridledger.ledger.CommitStatusUnknown;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.LedgerException;
import io.gridledger.ledger.SubmitObserver;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every POST of the partner API carries an {@code Idempotency-Key}: the first request with a key is carried out and
 * its answer (status, body, Location) kept in the {@link IdempotencyStore}; a retry with the same key and the same
 * request gets that answer again (header {@code Idempotent-Replayed: true}); the same key with another request is a
 * 422. A refusal is an answer too and is replayed; a failure of the ledger is not, so a retry tries again.
 *
 * <p>Two kinds of operation:
 * <ul>
 *   <li>{@link #run}: the ledger itself refuses a repeat (a job's derived id, a proposal's id, a cancel), so the record
 *       only serves replays; losing it costs nothing.</li>
 *   <li>{@link #runJournaled}: a transaction the ledger would apply twice (Deposit, Withdraw). The record is written
 *       {@code STARTED} before anything is sent, then {@code SUBMITTING} with the transaction id after endorsement and
 *       <em>before</em> the transaction goes to the orderer ({@link SubmitObserver}), then {@code DONE}. A retry that
 *       finds {@code SUBMITTING} (a crash, or a commit status that never came) asks the ledger for that tx id: valid →
 *       it committed, answer from the ledger; invalid → it did not, submit anew; not on the ledger yet → 503 with
 *       Retry-After until {@link ApiSettings#unknownOutcomeWindow()} has passed since it was handed over, after which
 *       it can no longer commit unnoticed and is submitted anew. No crash point can apply a deposit twice.</li>
 * </ul>
 */
@Singleton
public final class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentRequests.class);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final IdempotencyStore store;
    private final JsonMapper json;
    private final Ledger ledger;
    private final ApiSettings settings;
    private final Clock clock = Clock.systemUTC();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    IdempotentRequests(IdempotencyStore store, JsonMapper json, Ledger ledger, ApiSettings settings) {
        this.store = store;
        this.json = json;
        this.ledger = ledger;
        this.settings = settings;
    }

    /** An answer to keep: status, body (written as JSON) and the resource to follow. */
    public IdempotencyRecord.StoredResponse answer(HttpStatus status, Object body, @Nullable String location) {
        try {
            return new IdempotencyRecord.StoredResponse(status.getCode(), json.writeValueAsString(body), location);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The key as a request carries it, checked: 1–128 of letters, digits and {@code . _ : -}. */
    public static String requireKey(@Nullable String key) {
        if (key == null || key.isEmpty()) {
            throw ApiException.invalid(HEADER, "required on every POST: a unique value per operation (a UUID), "
                    + "reused only to retry it");
        }
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalid(HEADER, "must be 1 to 128 letters, digits or . _ : -");
        }
        return key;
    }

    /** Carries out an operation the ledger itself keeps from applying twice, or replays its first answer. */
    public IdempotencyRecord.StoredResponse run(Caller caller, @Nullable String key, String operation, Object request,
                                                Supplier<IdempotencyRecord.StoredResponse> action) {
        var checked = requireKey(key);
        var hash = requestHash(operation, request);
        var existing = store.get(caller.partnerId(), checked);
        if (existing.isPresent()) {
            requireSameRequest(existing.get(), hash);
            if (existing.get().state() == IdempotencyRecord.State.DONE) {
                return existing.get().response();
            }
        }
        return exclusively(caller, checked, () -> {
            var now = clock.instant();
            var response = answerOrRefusal(action);
            store.put(new IdempotencyRecord(caller.partnerId(), checked, hash, IdempotencyRecord.State.DONE, null,
                    response, now, clock.instant()));
            return response;
        });
    }

    /**
     * Carries out a transaction the ledger would apply twice, journaled so that no retry — even after a crash — applies
     * it again; or replays its first answer.
     *
     * @param identity  the identity that signs it (to ask the ledger about it later)
     * @param submit    submits it, telling the observer its tx id before it goes to the orderer
     * @param committed the answer once the ledger says tx id committed (when the original answer was lost)
     */
    public IdempotencyRecord.StoredResponse runJournaled(Caller caller, @Nullable String key, String operation, Object request,
                                                         String identity,
                                                         Function<SubmitObserver, IdempotencyRecord.StoredResponse> submit,
                                                         Function<String, IdempotencyRecord.StoredResponse> committed) {
        var checked = requireKey(key);
        var hash = requestHash(operation, request);
        return exclusively(caller, checked, () -> {
            var existing = store.get(caller.partnerId(), checked);
            if (existing.isPresent()) {
                var record = existing.get();
                requireSameRequest(record, hash);
                if (record.state() == IdempotencyRecord.State.DONE) {
                    return record.response();
                }
                if (record.state() == IdempotencyRecord.State.SUBMITTING && record.txId() != null) {
                    var status = ledger.transactionStatus(identity, record.txId());
                    if (status.isPresent() && status.get().isValid()) {
                        LOG.info("{} of partner {} (key {}) had committed as tx {}: answering from the ledger",
                                operation, caller.partnerId(), checked, record.txId());
                        var response = committed.apply(record.txId());
                        store.put(record.done(response, clock.instant()));
                        return response;
                    }
                    if (status.isEmpty()) {
                        var age = Duration.between(record.updatedAt(), clock.instant());
                        if (age.compareTo(settings.unknownOutcomeWindow()) < 0) {
                            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, ApiError.of("COMMIT_STATUS_UNKNOWN",
                                    operation + " was handed to the ledger as tx " + record.txId() + " and is not in a "
                                            + "block yet; retry with the same Idempotency-Key"),
                                    Duration.ofSeconds(Math.max(1, settings.unknownOutcomeWindow().minus(age).toSeconds() / 4 + 1)));
                        }
                    }
                    LOG.info("{} of partner {} (key {}): tx {} did not commit; submitting anew", operation,
                            caller.partnerId(), checked, record.txId());
                }
            }
            var now = clock.instant();
            var started = new IdempotencyRecord(caller.partnerId(), checked, hash, IdempotencyRecord.State.STARTED, null,
                    null, now, now);
            store.put(started);
            var current = new IdempotencyRecord[]{started};
            try {
                var response = answerOrRefusal(() -> submit.apply(txId -> {
                    current[0] = current[0].submitting(txId, clock.instant());
                    store.put(current[0]);
                }));
                store.put(current[0].done(response, clock.instant()));
                return response;
            } catch (CommitStatusUnknown e) {
                throw e;    // stays SUBMITTING: the next retry asks the ledger
            } catch (LedgerException e) {
                store.delete(caller.partnerId(), checked);  // not committed: the next retry submits anew
                throw e;
            }
        });
    }

    /** The action's answer, or its refusal's (a refusal is the request's answer, kept and replayed). */
    private IdempotencyRecord.StoredResponse answerOrRefusal(Supplier<IdempotencyRecord.StoredResponse> action) {
        try {
            return action.get();
        } catch (ContractRefusal | ApiException e) {
            var failure = Failure.of(e).orElseThrow();
            if (failure.status().getCode() >= 500) {
                throw e;
            }
            return answer(failure.status(), failure.error(), null);
        }
    }

    private <T> T exclusively(Caller caller, String key, Supplier<T> action) {
        var slot = caller.partnerId() + "\u0000" + key;
        if (!inFlight.add(slot)) {
            throw new ApiException(HttpStatus.CONFLICT, ApiError.of("REQUEST_IN_PROGRESS",
                    "a request with this Idempotency-Key is still being carried out"), Duration.ofSeconds(1));
        }
        try {
            return action.get();
        } finally {
            inFlight.remove(slot);
        }
    }

    private static void requireSameRequest(IdempotencyRecord record, String hash) {
        if (!record.requestHash().equals(hash)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, new ApiError("IDEMPOTENCY_KEY_REUSED",
                    "this Idempotency-Key was used for another request; use a new key for a new request",
                    List.of(new ApiError.Detail(HEADER, "already used for a different request"))), null);
        }
    }

    /** SHA-256 of the operation and the request as canonical JSON (keys sorted), so key order does not matter. */
    String requestHash(String operation, Object request) {
        try {
            var tree = json.readValue(json.writeValueAsBytes(request), Object.class);
            var canonical = json.writeValueAsString(sorted(tree));
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(operation.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            var out = new TreeMap<String, Object>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            var out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(sorted(v)));
            return out;
        }
        return value;
    }
}
