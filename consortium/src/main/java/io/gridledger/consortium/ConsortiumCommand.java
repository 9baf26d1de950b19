package io.gridledger.consortium;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./gridledger up} and {@code ./gridledger demo}: the local consortium's launcher.
 *
 * <pre>
 * java -jar consortium/target/gridledger-consortium.jar up [--data-dir data] [--orgs 3] [--agents 3] [--port-offset 0] …
 * java -jar consortium/target/gridledger-consortium.jar demo [--data-dir data]
 * java -jar consortium/target/gridledger-consortium.jar env [--org Org1MSP]     # export GRIDCTL_URL=… GRIDCTL_TOKEN=…
 * </pre>
 */
@Command(name = "gridledger", mixinStandardHelpOptions = true,
        subcommands = {ConsortiumCommand.Up.class, Demo.class, ConsortiumCommand.Env.class},
        description = "A whole GridLedger consortium on this machine.")
public final class ConsortiumCommand {

    /** Options every subcommand shares: where the consortium lives. */
    static class Location {
        @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
                description = "the consortium's one data folder (default: ${DEFAULT-VALUE}); starting again on it resumes it")
        Path dataDir;

        @Option(names = "--repository", paramLabel = "DIR", defaultValue = ".", hidden = true,
                description = "the GridLedger checkout whose built jars run")
        Path repository;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Starts (or resumes) the local consortium and stays up until Ctrl-C, then stops it cleanly.",
                    "Ports: orderer 7050, peers 7051.., gateways 8081.., agents 8091.., Kafka 9092.., S3 9101.., "
                            + "chaincode servers 9991.. (all plus --port-offset)."})
    static final class Up implements Callable<Integer> {
        @CommandLine.Mixin
        Location location = new Location();

        @Option(names = "--orgs", defaultValue = "3", description = "member orgs (3..9; default ${DEFAULT-VALUE})")
        int orgs;

        @Option(names = "--agents", defaultValue = "3",
                description = "how many orgs (the first ones) run a provider agent (default ${DEFAULT-VALUE}; r=3 needs 3)")
        int agents;

        @Option(names = "--port-offset", defaultValue = "0", description = "added to every port (default ${DEFAULT-VALUE})")
        int portOffset;

        @Option(names = "--agent-capacity", defaultValue = "2", description = "concurrent jobs per agent (default ${DEFAULT-VALUE})")
        int agentCapacity;

        @Option(names = "--engine-socket", defaultValue = "unix:///var/run/docker.sock",
                description = "the container engine's Docker API (default ${DEFAULT-VALUE}; Podman: unix:///run/podman/podman.sock)")
        String engineSocket;

        @Option(names = "--batch-timeout", defaultValue = "100ms", description = "devnet's block cut timeout (default ${DEFAULT-VALUE})")
        String batchTimeout;

        @Option(names = "--no-restart", description = "leave a part that crashes down instead of starting it again")
        boolean noRestart;

        @Override
        public Integer call() throws InterruptedException {
            var settings = new StackSettings(location.repository, location.dataDir, orgs, agents, portOffset, agentCapacity,
                    engineSocket, JobImage.detect(location.repository, engineSocket), batchTimeout, !noRestart);
            var progress = new Progress(System.out);
            var stack = LocalStack.prepare(settings, progress);
            var up = new java.util.concurrent.atomic.AtomicBoolean();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                progress.step("stopping (agents, gateways, Kafka and object stores, devnet, chaincode servers)");
                stack.close();
                if (up.get()) {
                    progress.step("stopped cleanly; `./gridledger up` resumes from " + settings.dataDir());
                }
            }, "stop-consortium"));
            stack.bringUp();
            up.set(true);
            Endpoints.write(stack);
            progress.line(Endpoints.summary(stack, progress.elapsedSeconds()));
            new CountDownLatch(1).await();
            return 0;
        }
    }

    @Command(name = "env", mixinStandardHelpOptions = true,
            description = "Prints the shell exports for gridctl as one org's demo partner: eval \"$(./gridledger env)\"")
    static final class Env implements Callable<Integer> {
        @CommandLine.Mixin
        Location location = new Location();

        @Option(names = "--org", defaultValue = "Org1MSP", description = "the org (default ${DEFAULT-VALUE})")
        String org;

        @Option(names = "--admin", description = "the org admin's token instead of the partner's")
        boolean admin;

        @Override
        public Integer call() throws IOException {
            var endpoints = Endpoints.read(location.dataDir);
            var gateway = endpoints.path("orgs").path(org);
            if (gateway.isMissingNode()) {
                throw new StackException("no org " + org + " in " + location.dataDir + ": " + endpoints.path("orgs").fieldNames());
            }
            System.out.println("export GRIDCTL_URL=" + gateway.path("url").asText());
            System.out.println("export GRIDCTL_TOKEN=" + gateway.path(admin ? "adminToken" : "partnerToken").asText());
            return 0;
        }
    }

    public static void main(String[] args) {
        // The launcher's own output is its progress; the libraries it uses (the object store's starter, gRPC) say only
        // what goes wrong.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        var command = new CommandLine(new ConsortiumCommand());
        command.setExecutionExceptionHandler((thrown, cmd, parsed) -> {
            var e = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
                    ? thrown.getCause() : thrown;
            if (e instanceof StackException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("gridledger: " + e.getMessage());
                return 1;
            }
            throw thrown;
        });
        command.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        System.exit(command.execute(args));
    }
}
