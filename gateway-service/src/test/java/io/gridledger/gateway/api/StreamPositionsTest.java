package io.gridledger.gateway.api;

import io.gridledger.ledger.EventCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class StreamPositionsTest {

    @TempDir
    Path dir;

    @Test
    void a_ledger_event_id_is_its_own_position_after_its_transaction() {
        var positions = StreamPositions.open(dir.resolve("positions"), 8);

        assertThat(positions.positionOf("41:ab12cd:j-1:with:colons")).contains(EventCheckpoint.after(41, "ab12cd"));
    }

    @Test
    void an_agent_step_recorded_before_a_restart_is_found_after_it() {
        var file = dir.resolve("api/positions");
        StreamPositions.open(file, 8).record("agent:j-1#0#1:running:1733380000000", EventCheckpoint.after(41, "ab12cd"));
        StreamPositions.open(file, 8).record("agent:j-1#1#1:running:1733380000001", EventCheckpoint.at(42));

        var reopened = StreamPositions.open(file, 8);

        assertThat(reopened.positionOf("agent:j-1#0#1:running:1733380000000")).contains(EventCheckpoint.after(41, "ab12cd"));
        assertThat(reopened.positionOf("agent:j-1#1#1:running:1733380000001")).contains(EventCheckpoint.at(42));
    }

    @Test
    void an_unknown_agent_step_or_a_malformed_id_has_no_position() {
        var positions = StreamPositions.open(dir.resolve("positions"), 8);

        assertThat(positions.positionOf("agent:j-1#0#1:running:1733380000000")).isEmpty();
        assertThat(positions.positionOf("not-an-id")).isEmpty();
        assertThat(positions.positionOf("x:ab12cd:j-1")).isEmpty();
        assertThat(positions.positionOf(null)).isEmpty();
    }

    @Test
    void a_line_torn_by_a_crash_is_skipped() throws Exception {
        var file = dir.resolve("positions");
        Files.writeString(file, "agent:a:running:1\t7\ttx\nagent:b:runn");

        var positions = StreamPositions.open(file, 8);

        assertThat(positions.positionOf("agent:a:running:1")).contains(EventCheckpoint.after(7, "tx"));
        assertThat(positions.positionOf("agent:b:runn")).isEmpty();
    }

    @Test
    void the_file_is_compacted_to_the_retained_positions() {
        var file = dir.resolve("positions");
        var positions = StreamPositions.open(file, 2);
        for (int i = 0; i < 9; i++) {
            positions.record("agent:s:" + i, EventCheckpoint.at(i));
        }

        assertThat(positions.lines()).isLessThanOrEqualTo(8);
        var reopened = StreamPositions.open(file, 2);
        assertThat(reopened.positionOf("agent:s:8")).contains(EventCheckpoint.at(8));
        assertThat(reopened.positionOf("agent:s:7")).contains(EventCheckpoint.at(7));
        assertThat(reopened.positionOf("agent:s:0")).isEmpty();
    }
}
