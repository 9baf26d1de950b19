package io.gridledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** {@code gridctl jobs …}: submit, list, get, watch, results, cancel. */
@Command(name = "jobs", description = "Submit and follow jobs.", mixinStandardHelpOptions = true,
        subcommands = {JobsCommands.Submit.class, JobsCommands.ListJobs.class, JobsCommands.Get.class,
                JobsCommands.Watch.class, JobsCommands.Results.class, JobsCommands.Cancel.class})
final class JobsCommands extends ApiCommand.Group {

    static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");


    @Command(name = "submit", description = "Submit the job FILE (YAML or JSON: the API's job spec; inputs with a "
            + "local `path:` are uploaded first). Prints the job id.")
    static final class Submit extends ApiCommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "job spec, .yaml/.yml or .json")
        Path file;

        @Option(names = "--multipart", description = "send the input files within the submission (multipart/form-data) "
                + "instead of uploading each to a presigned URL first")
        boolean multipart;

        @Option(names = "--idempotency-key", paramLabel = "KEY",
                description = "retry-safe key: submitting again with it answers the same job (default: a new one)")
        String idempotencyKey;


        @Override
        int run(Gridctl root, Printer printer) {
            var api = root.api();
            var job = JobSpecFile.read(file);
            var key = idempotencyKey == null ? "gridctl-" + UUID.randomUUID() : idempotencyKey;
            JsonNode answer;
            if (multipart && !job.files().isEmpty()) {
                var body = new Multipart();
                body.json("spec", job.spec().toString());
                for (var input : job.files()) {
                    body.file(input.name(), () -> open(input.path()));
                }
                answer = api.post("/jobs", body.contentType(), body::stream, key);
            } else {
                for (var input : job.files()) {
                    var grant = api.post("/uploads", Map.of("sha256", input.sha256(), "sizeBytes", input.sizeBytes()), null);
                    if (!grant.path("stored").asBoolean(false)) {
                        api.presignedPut(URI.create(grant.path("url").asText()), input.path());
                    }
                }
                answer = api.post("/jobs", job.spec(), key);
            }
            if (printer.json()) {
                printer.json(answer);
            } else {
                printer.line(answer.path("jobId").asText() + "  " + answer.path("status").asText("QUEUED"));
            }
            return ExitCodes.OK;
        }

        private static InputStream open(Path path) {
            try {
                return Files.newInputStream(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "list", description = "List your jobs, newest pages first; --all follows every page.")
    static final class ListJobs extends ApiCommand {
        @Option(names = "--status", paramLabel = "STATUS", description = "QUEUED, RUNNING, COMPLETED, FAILED or CANCELLED")
        String status;

        @CommandLine.Mixin
        ApiCommand.Paging paging;

        @Option(names = "--all", description = "follow nextCursor to the last page")
        boolean all;


        @Override
        int run(Gridctl root, Printer printer) {
            var api = root.api();
            var parameters = new LinkedHashMap<String, Object>();
            parameters.put("status", status == null ? null : status.toUpperCase(Locale.ROOT));
            parameters.put("pageSize", paging.pageSize);
            parameters.put("cursor", paging.cursor);
            var page = api.get(GatewayClient.query("/jobs", parameters));
            if (all) {
                var items = (ArrayNode) page.path("items").deepCopy();
                while (page.hasNonNull("nextCursor")) {
                    parameters.put("cursor", page.get("nextCursor").asText());
                    page = api.get(GatewayClient.query("/jobs", parameters));
                    page.path("items").forEach(items::add);
                }
                var merged = GatewayClient.JSON.createObjectNode();
                merged.set("items", items);
                merged.putNull("nextCursor");
                page = merged;
            }
            printer.table(page, page.path("items"), JOB_COLUMNS);
            if (!printer.json() && page.hasNonNull("nextCursor")) {
                printer.line("more: --cursor " + page.get("nextCursor").asText());
            }
            return ExitCodes.OK;
        }
    }

    static final List<Printer.Column> JOB_COLUMNS = List.of(new Printer.Column("JOB ID", "/jobId"),
            new Printer.Column("STATUS", "/status"), new Printer.Column("PHASE", "/phase"),
            new Printer.Column("REPLICAS", "/replicaCount"), new Printer.Column("ESCROWED", "/escrowed"),
            new Printer.Column("CREATED", "/createdAt"), new Printer.Column("IMAGE", "/spec/image"));

    @Command(name = "get", description = "Show a job with its replicas and escrow.")
    static final class Get extends ApiCommand.OfJob {


        @Override
        int run(Gridctl root, Printer printer) {
            var view = root.api().get(jobPath());
            if (printer.json()) {
                printer.json(view);
                return ExitCodes.OK;
            }
            var job = view.path("job");
            printer.line(Printer.formatTable(GatewayClient.JSON.createArrayNode().add(job), JOB_COLUMNS).stripTrailing());
            printer.line("escrow: " + Printer.cell(view.get("escrow"), "escrow"));
            if (job.hasNonNull("outcome")) {
                printer.line("outcome: " + Printer.cell(job.get("outcome"), "outcome"));
            }
            if (job.hasNonNull("unmatched")) {
                printer.line("unmatched: " + Printer.cell(job.get("unmatched"), "unmatched"));
            }
            if (view.path("replicas").size() > 0) {
                printer.line("");
                printer.line(Printer.formatTable(view.path("replicas"), List.of(new Printer.Column("REPLICA", "/assignment/index"),
                        new Printer.Column("STATUS", "/assignment/status"), new Printer.Column("NODE", "/assignment/nodeId"),
                        new Printer.Column("ATTEMPT", "/assignment/attempt"), new Printer.Column("VERDICT", "/verdict"))).stripTrailing());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "watch", description = "Follow a job live (its event stream) until it ends: exit 0 COMPLETED, "
            + "8 FAILED, 9 CANCELLED, 10 timed out; with --until, 0 once it reaches that status.")
    static final class Watch extends ApiCommand.OfJob {

        @Option(names = "--until", paramLabel = "STATUS", description = "stop with 0 once the job is in STATUS (e.g. RUNNING)")
        String until;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "give up after it (30s, 10m, 1h): exit 10")
        String timeout;


        @Override
        int run(Gridctl root, Printer printer) throws IOException {
            var api = root.api();
            var path = jobPath();
            var limit = timeout == null ? null : Instant.now().plus(Durations.parse(timeout, spec));
            var wanted = until == null ? null : until.toUpperCase(Locale.ROOT);
            var progress = new WatchProgress(jobId);
            String lastEventId = null;
            var timedOut = new AtomicBoolean();
            var timer = Executors.newSingleThreadScheduledExecutor(r -> {
                var thread = new Thread(r, "gridctl-watch-timeout");
                thread.setDaemon(true);
                return thread;
            });
            try {
                while (true) {
                    if (limit != null && !Instant.now().isBefore(limit)) {
                        return timedOut(printer, progress);
                    }
                    var response = api.events(path + "/events", lastEventId);
                    var body = response.body();
                    var closer = limit == null ? null : timer.schedule(() -> {
                        timedOut.set(true);
                        closeQuietly(body);
                    }, Math.max(1, Duration.between(Instant.now(), limit).toMillis()), TimeUnit.MILLISECONDS);
                    try (var events = new EventStreamReader(body)) {
                        for (var next = events.next(); next.isPresent(); next = events.next()) {
                            var event = next.get();
                            if (event.id() != null) {
                                lastEventId = event.id();
                            }
                            JsonNode data;
                            try {
                                data = GatewayClient.JSON.readTree(event.data());
                            } catch (IOException e) {
                                continue;
                            }
                            progress.apply(event.event(), data);
                            if (printer.json()) {
                                printer.jsonLine(data);
                            } else {
                                printer.line(progress.describe(event.event(), data));
                            }
                            var end = outcome(progress.status(), wanted);
                            if (end != null) {
                                return end;
                            }
                        }
                    } catch (IOException e) {
                        if (timedOut.get()) {
                            return timedOut(printer, progress);
                        }
                        // the stream broke: read the job, then resume after the last event
                    } finally {
                        if (closer != null) {
                            closer.cancel(false);
                        }
                    }
                    if (timedOut.get()) {
                        return timedOut(printer, progress);
                    }
                    var job = api.get(path).path("job");
                    progress.status(job.path("status").asText(null));
                    var end = outcome(progress.status(), wanted);
                    if (end != null) {
                        if (!printer.json()) {
                            printer.line(progress.summary());
                        }
                        return end;
                    }
                    pause(RECONNECT_DELAY);
                }
            } finally {
                timer.shutdownNow();
            }
        }

        /** Between a stream that ended with the job still open and the next one (a proxy closing idle streams). */
        private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

        private static void pause(Duration delay) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiFailure.local("INTERRUPTED", "interrupted", ExitCodes.ERROR);
            }
        }

        private static Integer outcome(String status, String wanted) {
            if (status == null) {
                return null;
            }
            if (status.equals(wanted)) {
                return ExitCodes.OK;
            }
            return switch (status) {
                case "COMPLETED" -> ExitCodes.OK;
                case "FAILED" -> ExitCodes.JOB_FAILED;
                case "CANCELLED" -> ExitCodes.JOB_CANCELLED;
                default -> null;
            };
        }

        private static int timedOut(Printer printer, WatchProgress progress) {
            if (!printer.json()) {
                printer.line("timed out: " + progress.summary());
            }
            return ExitCodes.TIMEOUT;
        }

        private static void closeQuietly(InputStream stream) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing is how the read is interrupted
            }
        }
    }

    /** What {@code jobs watch} knows of a job from its events: status, phase, and each replica's latest step. */
    static final class WatchProgress {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

        private final String jobId;
        private String status;
        private String phase;
        private final Map<Integer, String> steps = new TreeMap<>();

        WatchProgress(String jobId) {
            this.jobId = jobId;
        }

        String status() {
            return status;
        }

        void status(String status) {
            if (status != null) {
                this.status = status;
            }
        }

        void apply(String event, JsonNode data) {
            status(text(data, "status"));
            if (text(data, "phase") != null) {
                phase = text(data, "phase");
            }
            var replica = data.hasNonNull("replica") ? data.get("replica").asInt() : null;
            if (replica != null) {
                if ("AgentStep".equals(event) && text(data, "step") != null) {
                    steps.put(replica, text(data, "step"));
                } else if ("ResultCommitted".equals(event)) {
                    steps.put(replica, "committed");
                } else if ("ResultRevealed".equals(event)) {
                    steps.put(replica, "revealed");
                }
            }
        }

        /** One line per event: time, event, what changed, then the progress so far. */
        String describe(String event, JsonNode data) {
            var line = new StringBuilder(LocalTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).format(TIME))
                    .append("  ").append(String.format("%-16s", event));
            if ("AgentStep".equals(event)) {
                line.append(" replica ").append(data.path("replica").asText("?")).append(' ')
                        .append(data.path("step").asText("?"));
                if (text(data, "nodeId") != null) {
                    line.append(" on ").append(text(data, "nodeId"));
                }
                if (text(data, "reason") != null) {
                    line.append(" (").append(text(data, "reason")).append(')');
                }
            } else if (data.hasNonNull("replica")) {
                line.append(" replica ").append(data.get("replica").asText());
            }
            return line.append("  ").append(summary()).toString();
        }

        /** {@code [RUNNING/COMMIT] ██░ 0:running 1:committed}: the status and each replica's step as a bar. */
        String summary() {
            var text = new StringBuilder("[").append(status == null ? "?" : status);
            if (phase != null && !"NONE".equals(phase)) {
                text.append('/').append(phase);
            }
            text.append(']');
            if (!steps.isEmpty()) {
                text.append(' ');
                steps.values().forEach(step -> text.append(bar(step)));
                steps.forEach((replica, step) -> text.append(' ').append(replica).append(':').append(step));
            }
            return text.toString();
        }

        private static char bar(String step) {
            return switch (step) {
                case "revealed" -> '█';
                case "committed", "uploading" -> '▓';
                case "running", "pulling" -> '▒';
                case "failed" -> 'x';
                default -> '░';
            };
        }

        private static String text(JsonNode data, String field) {
            return data.hasNonNull(field) ? data.get(field).asText() : null;
        }

        @Override
        public String toString() {
            return jobId + " " + summary();
        }
    }

    @Command(name = "results", description = "Download a completed job's outputs, verified against X-Result-Digest and "
            + "the manifest (exit 6 on any mismatch, nothing kept).")
    static final class Results extends ApiCommand.OfJob {

        @Option(names = {"-d", "--dir"}, paramLabel = "DIR", description = "where to write the files (default ./JOB_ID)")
        Path dir;


        @Override
        int run(Gridctl root, Printer printer) {
            jobPath();
            var downloaded = new ResultDownloader(root.api()).download(jobId, dir == null ? Path.of(jobId) : dir);
            if (downloaded.isInline()) {
                if (printer.json()) {
                    printer.json(downloaded.inline());
                } else {
                    printer.line("no outputs stored for " + jobId + "; the ledger's result:");
                    printer.object(downloaded.inline());
                }
                return ExitCodes.OK;
            }
            if (printer.json()) {
                var answer = GatewayClient.JSON.createObjectNode();
                answer.put("jobId", jobId);
                answer.put("resultDigest", downloaded.resultDigest());
                answer.put("fingerprint", downloaded.fingerprint());
                answer.put("directory", downloaded.directory().toString());
                var files = answer.putArray("files");
                downloaded.files().forEach(f -> files.addObject().put("path", f.path()).put("sizeBytes", f.sizeBytes())
                        .put("sha256", f.sha256()));
                printer.json(answer);
            } else {
                downloaded.files().forEach(f -> printer.line("ok  " + f.sha256().substring(0, 12) + "  "
                        + String.format("%10d", f.sizeBytes()) + "  " + f.path()));
                printer.line("verified " + downloaded.files().size() + " file(s) against result digest "
                        + downloaded.resultDigest() + " into " + downloaded.directory());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "cancel", description = "Cancel a job (the contract refunds what honest work did not earn).")
    static final class Cancel extends ApiCommand.OfJob {


        @Override
        int run(Gridctl root, Printer printer) {
            var answer = root.api().post(jobPath() + "/cancel", Map.of(), "cancel-" + jobId);
            if (printer.json()) {
                printer.json(answer);
            } else {
                printer.line(jobId + "  " + answer.path("status").asText());
            }
            return ExitCodes.OK;
        }
    }

    /** A streamed {@code multipart/form-data} body: the spec part, then one part per input file. */
    static final class Multipart {
        private final String boundary = "gridctl-" + UUID.randomUUID();
        private final List<Supplier<InputStream>> pieces = new ArrayList<>();

        void json(String name, String json) {
            part(name, null, "application/json", () -> new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        }

        void file(String name, Supplier<InputStream> content) {
            part(name, name, "application/octet-stream", content);
        }

        private void part(String name, String filename, String contentType, Supplier<InputStream> content) {
            var head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoted(name) + "\""
                    + (filename == null ? "" : "; filename=\"" + quoted(filename) + "\"") + "\r\nContent-Type: " + contentType
                    + "\r\n\r\n";
            pieces.add(() -> new ByteArrayInputStream(head.getBytes(StandardCharsets.UTF_8)));
            pieces.add(content);
            pieces.add(() -> new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.US_ASCII)));
        }

        private static String quoted(String value) {
            return value.replace("\\", "\\\\").replace("\"", "\\\"");
        }

        String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        InputStream stream() {
            var all = new ArrayList<InputStream>();
            pieces.forEach(piece -> all.add(piece.get()));
            all.add(new ByteArrayInputStream(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
            return new SequenceInputStream(Collections.enumeration(all));
        }
    }
}
