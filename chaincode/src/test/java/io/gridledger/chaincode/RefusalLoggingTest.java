package io.gridledger.chaincode;

import org.hyperledger.fabric.shim.ChaincodeException;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLoggingTest {

    /** The message the shim logs for a thrown exception: its message, then its stack trace. */
    private static LogRecord shimRecord(Throwable thrown) {
        var buffer = new StringWriter();
        buffer.append(thrown.getMessage());
        thrown.printStackTrace(new PrintWriter(buffer));
        return new LogRecord(Level.SEVERE, buffer.toString());
    }

    @Test
    void an_expected_refusal_becomes_one_info_line() {
        var record = shimRecord(new ChaincodeException("WRONG_STATE: job j1 is COMPLETED; nothing to settle", "WRONG_STATE"));

        RefusalLogging.rewrite(record);

        assertThat(record.getLevel()).isEqualTo(Level.INFO);
        assertThat(record.getMessage()).isEqualTo("refused: WRONG_STATE: job j1 is COMPLETED; nothing to settle");
    }

    @Test
    void an_unexpected_failure_stays_severe_with_its_stack_trace() {
        var record = shimRecord(new IllegalStateException("job j1 lacks a replica"));
        var original = record.getMessage();

        assertThat(RefusalLogging.rewrite(record)).isTrue();

        assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
        assertThat(record.getMessage()).isEqualTo(original).contains("\tat ");
    }

    @Test
    void a_chaincode_exception_without_a_contract_error_code_stays_severe() {
        var record = shimRecord(new ChaincodeException("something odd", "x"));

        RefusalLogging.rewrite(record);

        assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
    }

    @Test
    void the_shims_error_line_after_a_refusal_is_quiet_and_after_a_failure_stays_severe() {
        RefusalLogging.rewrite(shimRecord(new ChaincodeException("NOT_FOUND: job 'j1' does not exist", "NOT_FOUND")));
        var afterRefusal = new LogRecord(Level.SEVERE, "[63f80f28] Invoke failed with error code 500. Sending ERROR");
        RefusalLogging.rewrite(afterRefusal);

        RefusalLogging.rewrite(shimRecord(new IllegalStateException("boom")));
        var afterFailure = new LogRecord(Level.SEVERE, "[63f80f29] Invoke failed with error code 500. Sending ERROR");
        RefusalLogging.rewrite(afterFailure);

        assertThat(afterRefusal.getLevel()).isEqualTo(Level.FINE);
        assertThat(afterFailure.getLevel()).isEqualTo(Level.SEVERE);
    }
}
