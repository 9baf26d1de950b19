package io.gridledger.devnet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The job-lifecycle phases of two benchmark runs side by side, "before" and "after": jobs/s, VALID tx/s, job p50/p99,
 * the overall invalid rate and the CPU per VALID transaction, and per transaction kind its attempts, VALID commits and
 * non-VALID commits split into MVCC, phantom and other codes. {@code ./gridledger bench --compare REF} runs REF's own benchmark in a temporary
 * worktree and this tree's, then this over their {@code results.json}:
 *
 * <pre>
 * BenchComparison BEFORE_DIR AFTER_DIR OUT_DIR   # reads {BEFORE,AFTER}_DIR/results.json (and a one-line label file)
 *                                                # writes OUT_DIR/comparison.md and comparison.json, prints the Markdown
 * </pre>
 *
 * A results.json from an older benchmark may lack figures (per-kind VALID counts, say): what a run did not record is
 * "–" in the Markdown and null in the JSON, never a guess. Figures are matched by workload and concurrency.
 */
final class BenchComparison {

    static final String JOB_LIFECYCLE = DevnetBenchmark.JOB_LIFECYCLE;
    private static final String MISSING = "–";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run: where it came from and its parsed results.json. */
    record Run(String label, JsonNode results) {
        String setup(String field) {
            var value = results.path("setup").path(field);
            if (value.isNumber()) {
                return f("%.2f", value.asDouble());
            }
            return value.isValueNode() ? value.asText() : MISSING;
        }
    }

    /** A figure of a phase or of one transaction kind in it, read from a results.json node. */
    private record Metric(String name, String jsonName, String format, Function<JsonNode, OptionalDouble> read) {
    }

    private static final List<Metric> PHASE_METRICS = List.of(
            new Metric("jobs/s", "jobsPerSecond", "%.2f", p -> number(p.path("jobsPerSecond"))),
            new Metric("VALID tx/s", "txPerSecond", "%.1f", p -> number(p.path("txPerSecond"))),
            new Metric("job p50 ms", "jobP50Ms", "%,.0f", p -> number(p.path("jobLatency").path("p50"))),
            new Metric("job p99 ms", "jobP99Ms", "%,.0f", p -> number(p.path("jobLatency").path("p99"))),
            new Metric("attempts", "attempts", "%,.0f", p -> number(p.path("attempts"))),
            new Metric("VALID", "valid", "%,.0f", p -> number(p.path("validTx"))),
            new Metric("non-VALID", "invalid", "%,.0f", p -> sumOfCodes(p.path("invalid"), code -> true)),
            new Metric("invalid rate", "invalidRate", "%.1f %%",
                    p -> ratio(sumOfCodes(p.path("invalid"), code -> true), number(p.path("attempts")))),
            new Metric("errors", "errors", "%,.0f", p -> number(p.path("failures"))),
            // Where the CPU went: the steadier figure when the two runs had the machine to different degrees.
            new Metric("CPU ms per VALID tx, devnet + clients", "jvmCpuMillisPerTx", "%.1f",
                    p -> perValidTx(number(p.path("cpu").path("jvm")), number(p.path("txPerSecond")))),
            new Metric("CPU ms per VALID tx, chaincode", "chaincodeCpuMillisPerTx", "%.1f",
                    p -> perValidTx(number(p.path("cpu").path("chaincode")), number(p.path("txPerSecond")))),
            new Metric("others' cores (not the benchmark)", "othersCores", "%.2f", p -> number(p.path("cpu").path("others"))));

    private static final List<Metric> KIND_METRICS = List.of(
            new Metric("attempts", "attempts", "%,.0f", t -> number(t.path("attempts"))),
            // Before results.json carried "valid", the latency of the VALID attempts counted them.
            new Metric("VALID", "valid", "%,.0f", t -> t.has("valid") ? number(t.path("valid")) : number(t.path("latency").path("count"))),
            new Metric("MVCC", "mvcc", "%,.0f", t -> sumOfCodes(t.path("invalid"), "MVCC_READ_CONFLICT"::equals)),
            new Metric("phantom", "phantom", "%,.0f", t -> sumOfCodes(t.path("invalid"), "PHANTOM_READ_CONFLICT"::equals)),
            new Metric("other", "other", "%,.0f", t -> sumOfCodes(t.path("invalid"),
                    code -> !code.equals("MVCC_READ_CONFLICT") && !code.equals("PHANTOM_READ_CONFLICT"))),
            new Metric("invalid rate", "invalidRate", "%.1f %%",
                    t -> ratio(sumOfCodes(t.path("invalid"), code -> true), number(t.path("attempts")))),
            new Metric("errors", "errors", "%,.0f", t -> number(t.path("errors"))));

    private final Run before;
    private final Run after;

    BenchComparison(Run before, Run after) {
        this.before = before;
        this.after = after;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: BenchComparison BEFORE_DIR AFTER_DIR OUT_DIR");
        }
        var comparison = new BenchComparison(read(Path.of(args[0])), read(Path.of(args[1])));
        var out = Path.of(args[2]);
        comparison.write(out);
        System.out.println(comparison.markdown());
        System.out.println("Written to " + out.toAbsolutePath().resolve("comparison.md") + " and comparison.json");
    }

    /** A run's results.json, labelled by the first line of the {@code label} file beside it (else by its folder). */
    static Run read(Path dir) throws IOException {
        var label = dir.resolve("label");
        var text = Files.exists(label) ? Files.readAllLines(label).stream().findFirst().orElse("").strip() : "";
        return new Run(text.isEmpty() ? dir.getFileName().toString() : text, JSON.readTree(dir.resolve("results.json").toFile()));
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("comparison.md"), markdown());
        JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("comparison.json").toFile(), json());
    }

    /** The job-lifecycle concurrencies either run measured, in order. */
    private List<Integer> concurrencies() {
        var all = new TreeSet<Integer>();
        for (var run : List.of(before, after)) {
            for (var phase : run.results().path("phases")) {
                if (JOB_LIFECYCLE.equals(phase.path("workload").asText())) {
                    all.add(phase.path("concurrency").asInt());
                }
            }
        }
        return List.copyOf(all);
    }

    /** The run's job-lifecycle phase at this concurrency, or a missing node. */
    private static JsonNode phase(Run run, int concurrency) {
        for (var phase : run.results().path("phases")) {
            if (JOB_LIFECYCLE.equals(phase.path("workload").asText()) && phase.path("concurrency").asInt() == concurrency) {
                return phase;
            }
        }
        return JsonNodeFactory.instance.missingNode();
    }

    /** Transaction kinds of the phase in either run: sorted, as the benchmark writes them. */
    private static List<String> kinds(JsonNode beforePhase, JsonNode afterPhase) {
        var kinds = new TreeSet<String>();
        beforePhase.path("byType").fieldNames().forEachRemaining(kinds::add);
        afterPhase.path("byType").fieldNames().forEachRemaining(kinds::add);
        return List.copyOf(kinds);
    }

    String markdown() {
        var md = new StringBuilder("# devnet benchmark: before and after, in one run\n\n");
        md.append("| | before | after |\n|---|---|---|\n");
        md.append(f("| tree | %s | %s |%n", before.label(), after.label()));
        for (var field : List.of("date", "machine", "java", "loadAtStart", "batch", "windows")) {
            md.append(f("| %s | %s | %s |%n", field.equals("loadAtStart") ? "load average at start" : field,
                    before.setup(field), after.setup(field)));
        }
        md.append("\nJob lifecycle only: jobs/s and tx/s count what committed VALID in the measured window; job latency runs "
                + "from the SubmitJob proposal to the deciding reveal's commit status; invalid rate = non-VALID commits ÷ "
                + "attempts; errors = calls that failed without a commit (e.g. endorsers disagreed). The runs take turns, "
                + "so the load average at the start of \"after\" still counts \"before\"; others' cores (CPU used by "
                + "other processes during the measured window) says whether the runs had the machine alike. " + MISSING
                + " = the run did not record it.\n");
        var concurrencies = concurrencies();
        if (concurrencies.isEmpty()) {
            md.append("\nNeither run measured the job lifecycle.\n");
        }
        for (int concurrency : concurrencies) {
            var b = phase(before, concurrency);
            var a = phase(after, concurrency);
            md.append(f("%n## %s, %d jobs in flight%n%n", JOB_LIFECYCLE, concurrency));
            md.append("| | before | after | change |\n|---|---:|---:|---:|\n");
            for (var metric : PHASE_METRICS) {
                var from = b.isMissingNode() ? OptionalDouble.empty() : metric.read().apply(b);
                var to = a.isMissingNode() ? OptionalDouble.empty() : metric.read().apply(a);
                md.append(f("| %s | %s | %s | %s |%n", metric.name(), format(metric, from), format(metric, to),
                        change(metric, from, to)));
            }
            var kinds = kinds(b, a);
            if (!kinds.isEmpty()) {
                md.append("\nPer transaction kind, before → after:\n\n| kind |");
                KIND_METRICS.forEach(m -> md.append(' ').append(m.name()).append(" |"));
                md.append("\n|---|").append("---:|".repeat(KIND_METRICS.size())).append('\n');
                for (var kind : kinds) {
                    md.append("| ").append(kind).append(" |");
                    for (var metric : KIND_METRICS) {
                        md.append(' ').append(format(metric, kindFigure(b, kind, metric))).append(" → ")
                                .append(format(metric, kindFigure(a, kind, metric))).append(" |");
                    }
                    md.append('\n');
                }
            }
        }
        return md.toString();
    }

    ObjectNode json() {
        var document = JSON.createObjectNode();
        for (var side : List.of(before, after)) {
            var run = document.putObject(side == before ? "before" : "after");
            run.put("label", side.label());
            run.set("setup", side.results().path("setup").deepCopy());
        }
        var phases = document.putArray("phases");
        for (int concurrency : concurrencies()) {
            var b = phase(before, concurrency);
            var a = phase(after, concurrency);
            var entry = phases.addObject();
            entry.put("workload", JOB_LIFECYCLE);
            entry.put("concurrency", concurrency);
            var kinds = kinds(b, a);
            for (var side : List.of(b, a)) {
                var figures = entry.putObject(side == b ? "before" : "after");
                for (var metric : PHASE_METRICS) {
                    put(figures, metric.jsonName(), side.isMissingNode() ? OptionalDouble.empty() : metric.read().apply(side));
                }
                var byKind = figures.putObject("kinds");
                for (var kind : kinds) {
                    var figuresOfKind = byKind.putObject(kind);
                    KIND_METRICS.forEach(m -> put(figuresOfKind, m.jsonName(), kindFigure(side, kind, m)));
                }
            }
        }
        return document;
    }

    private static OptionalDouble kindFigure(JsonNode phase, String kind, Metric metric) {
        var stats = phase.path("byType").path(kind);
        return stats.isObject() ? metric.read().apply(stats) : OptionalDouble.empty();
    }

    private static void put(ObjectNode node, String name, OptionalDouble value) {
        if (value.isEmpty()) {
            node.putNull(name);
        } else if (value.getAsDouble() == Math.rint(value.getAsDouble()) && Math.abs(value.getAsDouble()) < 1e15) {
            node.put(name, (long) value.getAsDouble());
        } else {
            node.put(name, value.getAsDouble());
        }
    }

    /** A number, or empty when absent or not finite (Jackson writes NaN as the string "NaN"). */
    static OptionalDouble number(JsonNode node) {
        if (node.isNumber() && Double.isFinite(node.asDouble())) {
            return OptionalDouble.of(node.asDouble());
        }
        return OptionalDouble.empty();
    }

    /** The sum of the counts of the codes {@code select} keeps; empty if the run recorded no codes at all. */
    private static OptionalDouble sumOfCodes(JsonNode codes, java.util.function.Predicate<String> select) {
        if (!codes.isObject()) {
            return OptionalDouble.empty();
        }
        double sum = 0;
        for (var it = codes.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (select.test(entry.getKey())) {
                sum += entry.getValue().asDouble();
            }
        }
        return OptionalDouble.of(sum);
    }

    /** Cores used × 1000 ÷ VALID tx/s = CPU milliseconds per VALID transaction. */
    private static OptionalDouble perValidTx(OptionalDouble cores, OptionalDouble txPerSecond) {
        if (cores.isEmpty() || txPerSecond.isEmpty() || txPerSecond.getAsDouble() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(cores.getAsDouble() * 1e3 / txPerSecond.getAsDouble());
    }

    private static OptionalDouble ratio(OptionalDouble part, OptionalDouble whole) {
        if (part.isEmpty() || whole.isEmpty() || whole.getAsDouble() == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(100 * part.getAsDouble() / whole.getAsDouble());
    }

    private static String format(Metric metric, OptionalDouble value) {
        return value.isPresent() ? f(metric.format(), value.getAsDouble()) : MISSING;
    }

    /** Relative change, or the difference in percentage points for a rate. */
    private static String change(Metric metric, OptionalDouble from, OptionalDouble to) {
        if (from.isEmpty() || to.isEmpty()) {
            return MISSING;
        }
        double difference = to.getAsDouble() - from.getAsDouble();
        if (metric.format().endsWith("%%")) {
            return f("%+.1f pts", difference);
        }
        return from.getAsDouble() == 0 ? MISSING : f("%+.0f %%", 100 * difference / from.getAsDouble());
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
