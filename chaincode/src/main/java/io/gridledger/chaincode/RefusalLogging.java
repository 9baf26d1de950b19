package io.gridledger.chaincode;

import io.gridledger.chaincode.domain.ErrorCode;

import java.util.Arrays;
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
 */
final class RefusalLogging {

    static final String SHIM_RESPONSES = "org.hyperledger.fabric.shim.ResponseUtils";
    private static final String EXCEPTION = "org.hyperledger.fabric.shim.ChaincodeException: ";
    /** A strong reference: java.util.logging forgets the configuration of loggers nobody holds. */
    private static Logger installed;

    private RefusalLogging() {
    }

    static synchronized void install() {
        if (installed == null) {
            installed = Logger.getLogger(SHIM_RESPONSES);
            installed.setFilter(RefusalLogging::rewrite);
        }
    }

    /** Turns the record of an expected refusal into one INFO line; leaves every other record as it is. */
    static boolean rewrite(LogRecord record) {
        var message = record.getMessage();
        if (record.getLevel() == Level.SEVERE && message != null && isRefusal(message)) {
            int trace = message.indexOf(EXCEPTION);
            record.setLevel(Level.INFO);
            record.setMessage("refused: " + (trace > 0 ? message.substring(0, trace) : message).strip());
            record.setThrown(null);
        }
        return true;
    }

    private static boolean isRefusal(String message) {
        return message.contains(EXCEPTION)
                && Arrays.stream(ErrorCode.values()).anyMatch(code -> message.startsWith(code.name() + ": "));
    }
}
