package io.gridledger.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The admin console in a real headless Chromium (Debian's {@code chromium}, driven by playwright-core from
 * {@code admin-console/e2e/console.e2e.mjs}) against the whole stack, on a 1366×768 laptop screen: a partner token
 * refused at sign-in; Org1's admin signed in on the overview (jobs by state, throughput and latency charts, totals,
 * alerts); by keyboard alone to the jobs page and into a job Org1's demo partner submits (through gridctl, when the
 * browser is on the jobs page), followed to COMPLETED live on its detail page with its replica timeline and the orgs
 * whose endorsements certified it; the overview counting it; the jobs list filtered by status; every offer, the node
 * leaderboard and a node's page; a parameter change proposed by Org1's admin, approved in Org2's console and listed
 * with both approvals. No page is wider than the screen. Screenshots of every main page are left in
 * {@code tests/target/console-screenshots/}, with the script's output ({@code console-e2e.log}).
 *
 * <p>Needs {@code node} on the PATH and admin-console's {@code node_modules} (its Maven build installs them). Skipped
 * only when Chromium is not installed ({@code /usr/bin/chromium}, or {@code CHROMIUM_PATH}).
 */
class ConsoleBrowserIT {

    private static final String SUBMIT_NOW = "console-e2e: submit a job";
    private static volatile boolean stackStarted;

    @Test
    void the_console_signs_in_follows_a_job_live_filters_jobs_shows_the_consortium_changes_a_parameter_and_refuses_a_partner() throws Exception {
        var chromium = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
        Assumptions.assumeTrue(Files.isExecutable(chromium), "Chromium is not installed at " + chromium
                + " (apt-get install -y chromium, or set CHROMIUM_PATH): the console's browser tests cannot run");
        var repository = E2eStack.repository();
        var console = repository.resolve("admin-console");
        assertThat(console.resolve("node_modules/playwright-core")).as("admin-console's node_modules (npm ci, or its Maven build)").isDirectory();
        var screenshots = repository.resolve("tests/target/console-screenshots");
        Files.createDirectories(screenshots);

        var stack = E2eStack.shared();
        stackStarted = true;
        var alice = new Partner(stack, "Org1MSP");
        var builder = new ProcessBuilder("node", "e2e/console.e2e.mjs").directory(console.toFile()).redirectErrorStream(true);
        var env = builder.environment();
        env.put("CONSOLE_ORG1_URL", stack.gatewayUrl("Org1MSP"));
        env.put("CONSOLE_ORG1_ADMIN_TOKEN", stack.adminToken("Org1MSP"));
        env.put("CONSOLE_ORG1_PARTNER_TOKEN", stack.partnerToken("Org1MSP"));
        env.put("CONSOLE_ORG2_URL", stack.gatewayUrl("Org2MSP"));
        env.put("CONSOLE_ORG2_ADMIN_TOKEN", stack.adminToken("Org2MSP"));
        env.put("CONSOLE_SCREENSHOTS", screenshots.toString());
        env.put("CHROMIUM_PATH", chromium.toString());
        env.remove("CONSOLE_JOB_ID");

        var output = new StringBuffer();
        var jobId = new String[1];
        var process = builder.start();
        var reader = new Thread(() -> {
            try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.equals(SUBMIT_NOW) && jobId[0] == null) {
                        // runs for a few seconds, so the browser sees it QUEUED or RUNNING before it completes
                        jobId[0] = alice.submitScript("sleep 12 && echo seen in the console > /output/console.txt", 1, 1, 120);
                        output.append("(ConsoleBrowserIT: Org1's demo partner submitted ").append(jobId[0]).append(")\n");
                        stdin.write(jobId[0] + "\n");
                        stdin.flush();
                    }
                }
            } catch (IOException | RuntimeException | AssertionError e) {
                output.append("(ConsoleBrowserIT: ").append(e).append(")\n");
                process.destroy();
            }
        }, "console-e2e-output");
        reader.start();
        boolean ended = process.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        Files.writeString(screenshots.resolve("console-e2e.log"), output);
        if (!ended) {
            fail("the console's browser tests did not end within 15 minutes:\n" + output);
        }
        assertThat(process.exitValue()).as("node e2e/console.e2e.mjs failed:\n%s", output).isZero();

        assertThat(jobId[0]).as("the job the console followed").isNotNull();
        assertThat(alice.job(jobId[0]).path("job").path("status").asText()).isEqualTo("COMPLETED");
        for (var page : new String[]{"sign-in-refused", "overview", "jobs", "job-detail", "overview-after-job", "jobs-completed",
                "jobs-running", "market", "reputation", "node-detail", "accounts", "governance-proposed", "governance-approved-by-org2",
                "governance-proposals", "governance"}) {
            assertThat(screenshots.resolve(page + ".png")).as("screenshot of %s", page).isNotEmptyFile();
        }
    }

    @AfterAll
    static void no_credit_is_created_or_lost_and_every_job_ended() {
        if (!stackStarted) {
            return;
        }
        Audit.assertEveryJobTerminal(E2eStack.shared());
        Audit.assertCreditsConserved(E2eStack.shared());
    }
}
