package io.gridledger.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * One gridctl invocation in this JVM, as a shell would run it: the environment it sees, its exit code, stdout and
 * stderr.
 *
 * <pre>{@code
 * var run = Run.gridctl(Map.of("GRIDCTL_URL", url, "GRIDCTL_TOKEN", token), "jobs", "list");
 * assertThat(run.exit()).as(run.toString()).isZero();
 * }</pre>
 */
record Run(int exit, String out, String err) {

    static Run gridctl(Map<String, String> env, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var line = Gridctl.commandLine(env);
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
