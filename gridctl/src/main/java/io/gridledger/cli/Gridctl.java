package io.gridledger.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * gridctl, the partner's command-line client of a GridLedger gateway: the REST API under {@code /api/v1} only.
 *
 * <pre>
 * gridctl jobs submit job.yaml            # uploads the inputs named by path, prints the job id
 * gridctl jobs watch j-…                  # live status until it ends; the exit code says how
 * gridctl jobs results j-… -d out/        # downloads and verifies the outputs
 * </pre>
 *
 * In-process (tests, embedding): {@code Gridctl.commandLine(env).execute(args)} with the environment it should see.
 */
@Command(name = "gridctl", mixinStandardHelpOptions = true, versionProvider = Gridctl.Version.class,
        description = "Submit and follow GridLedger jobs through your org's gateway (REST API /api/v1).",
        footer = {"", "Configuration: flags win over GRIDCTL_URL, GRIDCTL_TOKEN, GRIDCTL_OUTPUT,",
                "which win over the config file (--config, GRIDCTL_CONFIG, else",
                "~/.config/gridctl/config.yaml with url:, token:, output:).", "",
                ExitCodes.HELP},
        subcommands = {JobsCommands.class, MarketCommands.Offers.class, MarketCommands.Accounts.class,
                MarketCommands.Reputation.class, MarketCommands.Params.class, Gridctl.Completion.class,
                CommandLine.HelpCommand.class})
public final class Gridctl implements Runnable {

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "the gateway's base URL, e.g. http://localhost:8080 (env GRIDCTL_URL)")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "the partner's API token or JWT (env GRIDCTL_TOKEN)")
    String token;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "config file (default ~/.config/gridctl/config.yaml, env GRIDCTL_CONFIG)")
    Path config;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default) or json (env GRIDCTL_OUTPUT)")
    String output;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    public Gridctl(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line with gridctl's exit codes and error printing, seeing {@code env} as its environment. */
    public static CommandLine commandLine(Map<String, String> env) {
        var line = new CommandLine(new Gridctl(env));
        line.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            var err = commandLine.getErr();
            var root = (Gridctl) commandLine.getCommandSpec().root().userObject();
            if (failure instanceof ApiFailure api) {
                if (root.jsonRequested()) {
                    err.println(api.toJson());
                } else {
                    err.println(api.describe());
                }
                err.flush();
                return api.exitCode();
            }
            err.println("error: " + failure);
            err.flush();
            return ExitCodes.ERROR;
        });
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see gridctl --help)");
    }

    /** The configuration from the flags, the environment and the config file. */
    GridctlConfig config() {
        return GridctlConfig.resolve(url, token, config, output, env);
    }

    GatewayClient api() {
        var resolved = config();
        return new GatewayClient(resolved.url(), resolved.token());
    }

    boolean jsonRequested() {
        var format = output != null ? output : env.get("GRIDCTL_OUTPUT");
        if (format == null) {
            try {
                format = config().output();
            } catch (ApiFailure e) {
                return false;
            }
        }
        return "json".equalsIgnoreCase(format);
    }

    /** A printer to {@code command}'s stdout in the configured format. */
    Printer printer(CommandSpec command) {
        var format = config().output();
        if (!format.equalsIgnoreCase("json") && !format.equalsIgnoreCase("table")) {
            throw new CommandLine.ParameterException(command.commandLine(), "--output must be table or json, not " + format);
        }
        return new Printer(command.commandLine().getOut(), format.equalsIgnoreCase("json"));
    }

    static Gridctl of(CommandSpec command) {
        return (Gridctl) command.root().userObject();
    }

    /** {@code gridctl completion bash} — source it: {@code source <(gridctl completion bash)}. */
    @Command(name = "completion", description = "Print the shell completion script (bash; zsh with bashcompinit): "
            + "source <(gridctl completion bash)")
    static final class Completion implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Parameters(index = "0", defaultValue = "bash", paramLabel = "SHELL", description = "bash or zsh")
        String shell;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (!shell.equals("bash") && !shell.equals("zsh")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "completion is for bash or zsh, not " + shell);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(AutoComplete.bash("gridctl", spec.root().commandLine()));
            out.flush();
            return ExitCodes.OK;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = Gridctl.class.getPackage().getImplementationVersion();
            return new String[]{"gridctl " + (version == null ? "dev" : version)};
        }
    }
}
