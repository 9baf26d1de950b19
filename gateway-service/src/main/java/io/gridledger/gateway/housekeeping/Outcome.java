package io.gridledger.gateway.housekeeping;

import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.LedgerException;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.MDC;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a housekeeping transaction went. Several gateways run the same housekeeping, so a {@code WRONG_STATE} refusal
 * usually means another did it first (or the moment has not quite come): it is not an error, and is logged at DEBUG.
 */
enum Outcome {
    /** Committed. */
    DONE,
    /** Refused as {@code WRONG_STATE}: already done by someone, or not yet possible. */
    WRONG_STATE,
    /** Refused otherwise, or failed: worth a later try only if the failure was not a refusal. */
    FAILED;

    /**
     * Runs {@code call} for {@code jobId} (may be null), logs it with the job and its outcome, counts it in
     * {@code gridledger.housekeeping.actions}, and returns the outcome with the result when it committed.
     */
    static <T> Result<T> of(String action, String jobId, Logger log, MeterRegistry meters, Supplier<T> call) {
        if (jobId != null) {
            MDC.put("jobId", jobId);
        }
        try {
            var value = call.get();
            meters.counter("gridledger.housekeeping.actions", "action", action, "outcome", "done").increment();
            return new Result<>(DONE, Optional.ofNullable(value), null);
        } catch (ContractRefusal refusal) {
            if (refusal.code() == ContractErrorCode.WRONG_STATE) {
                log.debug("{} of {}: already done or not yet ({})", action, jobId, refusal.reason());
                meters.counter("gridledger.housekeeping.actions", "action", action, "outcome", "wrong_state").increment();
                return new Result<>(WRONG_STATE, Optional.empty(), refusal);
            }
            log.warn("{} of {} refused: {}", action, jobId, refusal.getMessage());
            meters.counter("gridledger.housekeeping.actions", "action", action, "outcome", "refused").increment();
            return new Result<>(FAILED, Optional.empty(), refusal);
        } catch (LedgerException e) {
            log.warn("{} of {} failed: {}", action, jobId, e.getMessage());
            meters.counter("gridledger.housekeeping.actions", "action", action, "outcome", "failed").increment();
            return new Result<>(FAILED, Optional.empty(), e);
        } finally {
            MDC.remove("jobId");
        }
    }

    record Result<T>(Outcome outcome, Optional<T> value, LedgerException failure) {
        /** Failed for a reason a later attempt may not meet (not a refusal). */
        boolean retriable() {
            return outcome == FAILED && !(failure instanceof ContractRefusal);
        }
    }
}
