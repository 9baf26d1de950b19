package io.gridledger.consortium;

import java.io.PrintStream;

/** What the launcher is doing, one line per step with the time since it began. */
public final class Progress {

    private final PrintStream out;
    private final long started = System.nanoTime();

    public Progress(PrintStream out) {
        this.out = out;
    }

    /** A progress that prints nothing (the end-to-end suite logs its own). */
    public static Progress silent() {
        return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    public void step(String text) {
        out.printf("[%5.1f s] %s%n", elapsedSeconds(), text);
        out.flush();
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
