package io.gridledger.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A gridctl command that calls the API: it gets the root command (configuration, client) and a printer in the
 * chosen format, and returns its exit code.
 */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        var root = Gridctl.of(spec);
        return run(root, root.printer(spec));
    }

    abstract int run(Gridctl root, Printer printer) throws Exception;

    /** A command about one job: its id is the first argument. */
    abstract static class OfJob extends ApiCommand {
        @Parameters(index = "0", paramLabel = "JOB_ID")
        String jobId;

        /** {@code /jobs/<id>}, after checking the id's shape (exit 2 before any request). */
        String jobPath() {
            if (!jobId.matches("[A-Za-z0-9._:-]{1,128}")) {
                throw ApiFailure.local("INVALID_ARGUMENT", "not a job id: " + jobId, ExitCodes.USAGE);
            }
            return "/jobs/" + jobId;
        }
    }

    /** A command that only groups others: run alone it is a usage error listing them. */
    abstract static class Group implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: "
                    + String.join(", ", spec.subcommands().keySet()) + " (see --help)");
        }
    }

    /** {@code --page-size} and {@code --cursor} of a listing. */
    static final class Paging {
        @Option(names = "--page-size", paramLabel = "N", defaultValue = "50", description = "1–200 (default 50)")
        int pageSize;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "continue after a previous page")
        String cursor;
    }
}
