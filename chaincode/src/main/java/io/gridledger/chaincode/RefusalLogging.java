package io.gridledger.chaincode;

import io.gridledger.chaincode.domain.ErrorCode;

import java.util.Arrays;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps expected refusals out of the chaincode's error log.
 *
 * <p>The shim logs every {@code ChaincodeException} a transaction throws as SEVERE with its stack trace
 * ({@code ResponseUtils.newErrorResponse}). A refusal with one of the contract's {@link ErrorCode}s is an answer, not a
 * fault: it becomes one INFO line ({@code refused: WRONG_STATE: …}). Anything else — an unexpected exception, a bug —
 * stays SEVERE with its stack trace, so a real failure stands out.
 *
 * <p>The shim's logger for responses is not registered with the log manager (it only has
 * {@code org.hyperledger.fabric} as parent), so the rewrite is a filter on the root logger's handlers, where its
 * records end up; a rewritten record is shown only where {@code org.hyperledger.fabric} logs INFO.
 */
public final class RefusalLogging {

    private static final String EXCEPTION = "org.hyperledger.fabric.shim.ChaincodeException: ";
    /** What the shim's invocation task logs, SEVERE, after any error response: a refusal's is a refusal too. */
    private static final String ERROR_SENT = "Invoke failed with error code 500. Sending ERROR";
    /** Whether this thread's last transaction ended in a refusal (the shim runs each invocation on one thread). */
    private static final ThreadLocal<Boolean> REFUSED = ThreadLocal.withInitial(() -> false);
    /** A strong reference: java.util.logging forgets the configuration of loggers nobody holds. */
    private static final Logger FABRIC = Logger.getLogger("org.hyperledger.fabric");

    private RefusalLogging() {
    }

    /**
     * Adds the rewrite to every handler of the root logger that lacks it, keeping any filter it had. Cheap and
     * idempotent: call it once logging is set up (the shim sets its handlers up when the router starts).
     */
    public static synchronized void install() {
        for (var handler : Logger.getLogger("").getHandlers()) {
            if (!(handler.getFilter() instanceof Rewrite)) {
                handler.setFilter(new Rewrite(handler.getFilter()));
            }
        }
    }

    /** The handler filter: the rewrite, then the handler's own filter if it had one. */
    private record Rewrite(Filter previous) implements Filter {
        @Override
        public boolean isLoggable(LogRecord record) {
            return rewrite(record) && (previous == null || previous.isLoggable(record));
        }
    }

    /**
     * Turns the record of an expected refusal into one INFO line, logged only where {@code org.hyperledger.fabric}
     * logs INFO; leaves every other record as it is.
     */
    static boolean rewrite(LogRecord record) {
        var message = record.getMessage();
        if (record.getLevel() != Level.SEVERE || message == null) {
            return true;
        }
        if (isRefusal(message)) {
            int trace = message.indexOf(EXCEPTION);
            record.setLevel(Level.INFO);
            record.setMessage("refused: " + (trace > 0 ? message.substring(0, trace) : message).strip());
            record.setThrown(null);
            REFUSED.set(true);
            return FABRIC.isLoggable(Level.INFO);
        }
        if (message.endsWith(ERROR_SENT) && REFUSED.get()) {
            REFUSED.set(false);
            record.setLevel(Level.FINE);
            return FABRIC.isLoggable(Level.FINE);
        }
        REFUSED.set(false);
        return true;
    }

    private static boolean isRefusal(String message) {
        return message.contains(EXCEPTION)
                && Arrays.stream(ErrorCode.values()).anyMatch(code -> message.startsWith(code.name() + ": "));
    }
}
