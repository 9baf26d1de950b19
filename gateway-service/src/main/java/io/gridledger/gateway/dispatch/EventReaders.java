package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.EventStream;
import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** What every thread that follows the ledger's events does to wait and to stop (the dispatcher, the console projection). */
public final class EventReaders {

    private EventReaders() {
    }

    /** Sleeps {@code duration}; false when interrupted (the interrupt flag set again): the reader should stop. */
    public static boolean pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Ends {@code events} (a blocked read then throws) and waits for {@code reader} to finish the event in hand; only a
     * reader stuck longer than ten seconds is interrupted.
     */
    public static void stop(@Nullable EventStream events, @Nullable Thread reader) {
        if (events != null) {
            events.close();
        }
        if (reader == null) {
            return;
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
            if (reader.isAlive()) {
                reader.interrupt();
                reader.join(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
