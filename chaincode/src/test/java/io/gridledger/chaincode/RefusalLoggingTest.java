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
}
