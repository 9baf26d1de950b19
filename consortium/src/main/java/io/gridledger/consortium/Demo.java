package io.gridledger.consortium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridledger.cli.GatewayClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./gridledger demo}: Org1's demo partner, through gridctl only (each command printed as a partner would type
 * it), submits one single-execution job and one replicated {@code r=3, q=2} job with an input file, watches both
 * matched, run, verified and settled, downloads and verifies their results, and shows every account's balance before
 * and after (the partner's escrow paid out to the provider nodes, the fee, the refund).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs two sample jobs on the running local consortium (./gridledger up) through gridctl.")
final class Demo implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Mixin
    ConsortiumCommand.Location location = new ConsortiumCommand.Location();

    @Override
    public Integer call() throws Exception {
        var endpoints = Endpoints.read(location.dataDir);
        var org1 = endpoints.path("orgs").path("Org1MSP");
        if (!endpoints.has("jobImage")) {
            throw new StackException("the consortium has no job image (the container engine was missing at `up`): "
                    + "bash provider-agent/engines/start-engines.sh, then restart ./gridledger up");
        }
        var gridctl = location.repository.toAbsolutePath().resolve("gridctl/target/gridctl.jar");
        if (!Files.isRegularFile(gridctl)) {
            throw new StackException(gridctl + " is not built: mvn -B -ntp -DskipTests package");
        }
        var work = location.dataDir.toAbsolutePath().resolve("demo/" + Instant.now().getEpochSecond());
        Files.createDirectories(work);
        var image = endpoints.path("jobImage").asText();
        Files.writeString(work.resolve("numbers.txt"), "42\n7\n1999\n3\n256\n");
        long deadline = Instant.now().getEpochSecond() + 3_600;
        Files.writeString(work.resolve("single.yaml"), """
                # one execution on the cheapest matching offer
                image: %s
                command: [sh, -c, "echo hello from GridLedger > /output/hello.txt"]
                resources: {cpuMillis: 500, memoryMiB: 64, storageMiB: 16, arch: amd64}
                maxUnitPrice: 2000
                timeoutSeconds: 60
                verification: {mode: SINGLE, replicas: 1, quorum: 1}
                deadline: %d
                """.formatted(image, deadline));
        Files.writeString(work.resolve("replicated.yaml"), """
                # three independent orgs run it; two matching result hashes settle it
                image: %s
                command: [sh, -c, "sort -n /input/numbers.txt > /output/sorted.txt && wc -l < /input/numbers.txt > /output/count.txt"]
                inputs:
                  - name: numbers.txt
                    path: ./numbers.txt
                resources: {cpuMillis: 500, memoryMiB: 64, storageMiB: 16, arch: amd64}
                maxUnitPrice: 2000
                timeoutSeconds: 60
                verification: {mode: REPLICATED, replicas: 3, quorum: 2}
                deadline: %d
                """.formatted(image, deadline));

        var env = Map.of("GRIDCTL_URL", org1.path("url").asText(), "GRIDCTL_TOKEN", org1.path("partnerToken").asText(),
                "HOME", work.toString());
        System.out.println("Org1's demo partner (" + org1.path("partnerAccount").asText() + ") at " + org1.path("url").asText()
                + "; spec files in " + work + "\n");
        var before = balances(endpoints);
        printBalances("Balances before", before, null);

        var single = submit(gridctl, env, work.resolve("single.yaml"));
        var replicated = submit(gridctl, env, work.resolve("replicated.yaml"));
        int failures = 0;
        for (var jobId : List.of(single, replicated)) {
            failures += run(gridctl, env, "jobs", "watch", jobId) == 0 ? 0 : 1;
            run(gridctl, env, "jobs", "get", jobId);
            failures += run(gridctl, env, "jobs", "results", jobId, "-d", work.resolve("results/" + jobId).toString()) == 0 ? 0 : 1;
        }
        printBalances("Balances after", balances(endpoints), before);
        System.out.println(failures == 0 ? "The demo's two jobs settled; results verified in " + work.resolve("results")
                : "The demo had " + failures + " failing step(s); logs: " + endpoints.path("logsDir").asText());
        return failures == 0 ? 0 : 1;
    }

    private static String submit(Path gridctl, Map<String, String> env, Path spec) throws IOException, InterruptedException {
        System.out.println("$ gridctl jobs submit " + spec.getFileName());
        var process = gridctlProcess(gridctl, env, "jobs", "submit", spec.toString(), "-o", "json")
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new StackException("gridctl jobs submit " + spec.getFileName() + " failed (exit " + process.exitValue() + ")");
        }
        var answer = JSON.readTree(out);
        System.out.println(answer.path("jobId").asText() + "  " + answer.path("status").asText() + "\n");
        return answer.path("jobId").asText();
    }

    private static int run(Path gridctl, Map<String, String> env, String... args) throws IOException, InterruptedException {
        System.out.println("$ gridctl " + String.join(" ", args));
        int exit = gridctlProcess(gridctl, env, args).redirectOutput(ProcessBuilder.Redirect.INHERIT).start().waitFor();
        System.out.println();
        return exit;
    }

    private static ProcessBuilder gridctlProcess(Path gridctl, Map<String, String> env, String... args) {
        var command = ManagedProcess.java(List.of("-XX:TieredStopAtLevel=1"), "-jar", gridctl.toString());
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        return builder;
    }

    /** Every account of every org, as each org's admin sees its own. */
    private static Map<String, Long> balances(JsonNode endpoints) {
        var balances = new LinkedHashMap<String, Long>();
        var orgs = endpoints.path("orgs");
        for (var names = orgs.fieldNames(); names.hasNext(); ) {
            var org = orgs.path(names.next());
            var admin = new GatewayClient(URI.create(org.path("url").asText()), org.path("adminToken").asText());
            String cursor = null;
            do {
                var page = admin.get(GatewayClient.query("/admin/accounts", cursor == null ? Map.of("pageSize", 200)
                        : Map.of("pageSize", 200, "cursor", cursor)));
                for (var account : page.path("items")) {
                    balances.put(account.path("accountId").asText(), account.path("balance").asLong());
                }
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (cursor != null);
        }
        return balances;
    }

    private static void printBalances(String title, Map<String, Long> balances, Map<String, Long> before) {
        System.out.println(title + ":");
        var lines = new ArrayList<String>();
        balances.forEach((account, balance) -> {
            var change = before == null ? "" : String.format("%+,d", balance - before.getOrDefault(account, 0L));
            lines.add(String.format("  %-48s %,16d  %s", account, balance, change));
        });
        lines.forEach(System.out::println);
        if (before != null) {
            long total = balances.values().stream().mapToLong(Long::longValue).sum()
                    - before.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("  %-48s %,16d  (escrow still held, or fees to the treasury, when not zero)%n", "sum of changes", total);
        }
        System.out.println();
    }
}
