package io.gridledger.gateway.dispatch;

import java.time.Duration;
import java.util.List;

/**
 * Where dispatched work goes: this org's message broker. {@link #publish} returns once the broker acknowledged every
 * record (so a checkpoint written after it loses nothing) and throws {@link DispatchException} otherwise.
 */
public interface JobDispatch extends AutoCloseable {

    void publish(List<DispatchMessage> messages);

    /** Whether the broker answers within {@code timeout}, with a word on what it is (for health). */
    Reachability reach(Duration timeout);

    @Override
    void close();

    record Reachability(boolean reachable, String detail) {
    }

    final class DispatchException extends RuntimeException {
        public DispatchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
