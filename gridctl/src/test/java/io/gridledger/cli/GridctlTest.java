package io.gridledger.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gridctl's parsing and formatting, with no gateway. */
class GridctlTest {

    @Nested
    class SpecFiles {

        @TempDir
        Path dir;

        @Test
        void yaml_inputs_named_by_path_get_their_sha256_and_size_and_lose_the_path() throws Exception {
            Files.writeString(dir.resolve("data.bin"), "hello\n");
            var file = Files.writeString(dir.resolve("job.yaml"), """
                    image: registry.local/sim@sha256:aaaa
                    command: [sh, -c, run]
                    inputs:
                      - name: data.bin
                        path: data.bin
                      - name: stored.bin
                        sha256: %s
                        sizeBytes: 3
                    """.formatted("b".repeat(64)));
            var spec = JobSpecFile.read(file);
            assertThat(spec.files()).singleElement().satisfies(input -> {
                assertThat(input.name()).isEqualTo("data.bin");
                assertThat(input.sha256()).isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
                assertThat(input.sizeBytes()).isEqualTo(6);
            });
            var first = spec.spec().get("inputs").get(0);
            assertThat(first.has("path")).isFalse();
            assertThat(first.get("sha256").asText()).isEqualTo(spec.files().get(0).sha256());
            assertThat(spec.spec().get("inputs").get(1).get("sha256").asText()).isEqualTo("b".repeat(64));
        }

        @Test
        void json_specs_are_read_as_json() throws Exception {
            var file = Files.writeString(dir.resolve("job.json"), "{\"image\":\"x\",\"maxUnitPrice\":3}");
            assertThat(JobSpecFile.read(file).spec().get("maxUnitPrice").asInt()).isEqualTo(3);
        }

        @Test
        void malformed_yaml_names_the_file_and_the_line_and_exits_5() throws Exception {
            var file = Files.writeString(dir.resolve("bad.yaml"), "image: x\ncommand: [unclosed\n");
            assertThatThrownBy(() -> JobSpecFile.read(file)).isInstanceOfSatisfying(ApiFailure.class, failure -> {
                assertThat(failure.exitCode()).isEqualTo(ExitCodes.INVALID);
                assertThat(failure.code()).isEqualTo("INVALID_SPEC");
                assertThat(failure.getMessage()).contains("bad.yaml").contains("line");
            });
        }

        @Test
        void a_missing_input_file_or_a_declared_digest_that_does_not_match_is_refused_by_field() throws Exception {
            var missing = Files.writeString(dir.resolve("missing.yaml"), "inputs:\n  - name: a\n    path: nope.bin\n");
            assertThatThrownBy(() -> JobSpecFile.read(missing)).hasMessageContaining("inputs[0].path: no such file");
            Files.writeString(dir.resolve("a.bin"), "a");
            var wrong = Files.writeString(dir.resolve("wrong.yaml"), "inputs:\n  - name: a\n    path: a.bin\n    sha256: "
                    + "0".repeat(64) + "\n");
            assertThatThrownBy(() -> JobSpecFile.read(wrong)).hasMessageContaining("inputs[0].sha256");
            var notAMapping = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
            assertThatThrownBy(() -> JobSpecFile.read(notAMapping)).hasMessageContaining("a job spec is a mapping");
        }
    }

    @Nested
    class EventStreams {

        @Test
        void events_follow_the_whatwg_rules_comments_multiline_data_ids_and_blocks_without_data() throws Exception {
            var stream = """
                    : keep-alive

                    event: Snapshot
                    data: {"status":"QUEUED"}

                    id: 17:tx:j-1
                    event: JobsMatched
                    data: {"a":1,
                    data: "b":2}

                    event: nothing

                    data:plain
                    """;
            try (var reader = new EventStreamReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
                var snapshot = reader.next().orElseThrow();
                assertThat(snapshot.event()).isEqualTo("Snapshot");
                assertThat(snapshot.id()).isNull();
                var matched = reader.next().orElseThrow();
                assertThat(matched.event()).isEqualTo("JobsMatched");
                assertThat(matched.id()).isEqualTo("17:tx:j-1");
                assertThat(new ObjectMapper().readTree(matched.data()).get("b").asInt()).isEqualTo(2);
                assertThat(reader.next()).as("the last block is not terminated by a blank line").isEmpty();
            }
        }
    }

    @Nested
    class Manifests {

        static byte[] manifest(String... lines) {
            var bytes = new ByteArrayOutputStream();
            bytes.writeBytes(OutputManifest.HEADER.getBytes(StandardCharsets.US_ASCII));
            for (var line : lines) {
                bytes.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            }
            return bytes.toByteArray();
        }

        @Test
        void a_manifest_lists_path_size_and_sha256_per_file() {
            var sha = HexFormat.of().formatHex(new byte[32]);
            var parsed = OutputManifest.parse(manifest("out/a.txt\0" + "12\0" + sha + "\n", "b\nc\0" + "0\0" + sha + "\n"));
            assertThat(parsed.files()).containsExactly(new OutputManifest.Entry("out/a.txt", 12, sha),
                    new OutputManifest.Entry("b\nc", 0, sha));
        }

        @Test
        void anything_else_is_refused() {
            assertThatThrownBy(() -> OutputManifest.parse("other/v1\n".getBytes(StandardCharsets.US_ASCII)))
                    .hasMessageContaining("not a gridledger/outputs/v1 manifest");
            assertThatThrownBy(() -> OutputManifest.parse(manifest("a\0" + "1\0" + "xyz\n"))).hasMessageContaining("line 1");
            assertThatThrownBy(() -> OutputManifest.parse(manifest("a\0" + "-1\0" + "0".repeat(64) + "\n")))
                    .hasMessageContaining("line 1");
        }

        @Test
        void only_relative_paths_without_dot_segments_are_written() {
            assertThat(OutputManifest.isSafePath("out/result.txt")).isTrue();
            assertThat(OutputManifest.isSafePath("../etc/passwd")).isFalse();
            assertThat(OutputManifest.isSafePath("/etc/passwd")).isFalse();
            assertThat(OutputManifest.isSafePath("a//b")).isFalse();
            assertThat(OutputManifest.isSafePath("a/./b")).isFalse();
            assertThat(OutputManifest.isSafePath("a\\..\\b")).isFalse();
        }
    }

    @Nested
    class Formatting {

        @Test
        void tables_align_columns_and_show_missing_values_and_times_readably() throws Exception {
            var rows = new ObjectMapper().readTree("""
                    [{"jobId":"j-1","status":"QUEUED","createdAt":1796434000,"spec":{"image":"img"}},
                     {"jobId":"j-22","status":null}]""");
            var table = Printer.formatTable(rows, java.util.List.of(new Printer.Column("JOB ID", "/jobId"),
                    new Printer.Column("STATUS", "/status"), new Printer.Column("CREATED", "/createdAt"),
                    new Printer.Column("IMAGE", "/spec/image")));
            assertThat(table.lines()).containsExactly(
                    "JOB ID  STATUS  CREATED               IMAGE",
                    "j-1     QUEUED  2026-12-05T01:26:40Z  img",
                    "j-22    -       -                     -");
        }

        @Test
        void api_errors_print_status_code_message_and_each_detail() {
            var failure = GatewayClient.failure(400, """
                    {"code":"INVALID_ARGUMENT","message":"the job spec is invalid","details":[
                      {"field":"resources.cpuMillis","reason":"must be positive"},{"field":"inputs[0].sha256","reason":"required"}]}""",
                    null);
            assertThat(failure.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(failure.describe().lines()).containsExactly(
                    "error: 400 INVALID_ARGUMENT: the job spec is invalid",
                    "  - resources.cpuMillis: must be positive",
                    "  - inputs[0].sha256: required");
        }

        @Test
        void a_body_that_is_not_the_apis_error_is_summarized_under_its_status() {
            var failure = GatewayClient.failure(502, "<html>bad gateway</html>", null);
            assertThat(failure.code()).isEqualTo("HTTP_502");
            assertThat(failure.exitCode()).isEqualTo(ExitCodes.ERROR);
            assertThat(failure.rawBody()).hasValueSatisfying(raw -> assertThat(raw).contains("\"code\":\"HTTP_502\""));
        }

        @Test
        void http_statuses_map_to_the_documented_exit_codes() {
            assertThat(ExitCodes.ofHttpStatus(401)).isEqualTo(3);
            assertThat(ExitCodes.ofHttpStatus(403)).isEqualTo(3);
            assertThat(ExitCodes.ofHttpStatus(404)).isEqualTo(4);
            assertThat(ExitCodes.ofHttpStatus(409)).isEqualTo(5);
            assertThat(ExitCodes.ofHttpStatus(422)).isEqualTo(5);
            assertThat(ExitCodes.ofHttpStatus(429)).isEqualTo(7);
            assertThat(ExitCodes.ofHttpStatus(500)).isEqualTo(1);
        }
    }

    @Nested
    class Configuration {

        @TempDir
        Path home;

        @Test
        void flags_win_over_the_environment_which_wins_over_the_config_file() throws Exception {
            Files.createDirectories(home.resolve(".config/gridctl"));
            Files.writeString(home.resolve(".config/gridctl/config.yaml"), "url: http://file:1\ntoken: file-token\noutput: json\n");
            var env = Map.of("HOME", home.toString());
            assertThat(GridctlConfig.resolve(null, null, null, null, env))
                    .isEqualTo(new GridctlConfig(java.net.URI.create("http://file:1"), "file-token", "json"));
            var withEnv = Map.of("HOME", home.toString(), "GRIDCTL_URL", "http://env:2/", "GRIDCTL_TOKEN", "env-token");
            assertThat(GridctlConfig.resolve(null, null, null, null, withEnv))
                    .isEqualTo(new GridctlConfig(java.net.URI.create("http://env:2"), "env-token", "json"));
            assertThat(GridctlConfig.resolve("http://flag:3", "flag-token", null, "table", withEnv))
                    .isEqualTo(new GridctlConfig(java.net.URI.create("http://flag:3"), "flag-token", "table"));
        }

        @Test
        void no_url_or_token_anywhere_is_a_usage_error_saying_where_to_put_them() {
            var run = Run.gridctl(Map.of("HOME", home.toString()), "jobs", "list");
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("NO_URL").contains("GRIDCTL_URL");
            var noToken = Run.gridctl(Map.of("HOME", home.toString(), "GRIDCTL_URL", "http://localhost:1"), "params");
            assertThat(noToken.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(noToken.err()).contains("GRIDCTL_TOKEN");
        }

        @Test
        void an_explicit_config_file_that_does_not_exist_is_a_usage_error() {
            var run = Run.gridctl(Map.of(), "params", "--config", home.resolve("nope.yaml").toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("config file not found");
        }
    }

    @Nested
    class CommandLineUse {

        @Test
        void unknown_options_and_missing_arguments_exit_2_with_usage() {
            var unknown = Run.gridctl(Map.of(), "jobs", "list", "--bogus");
            assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).contains("Unknown option: '--bogus'");
            assertThat(Run.gridctl(Map.of(), "jobs", "get").exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(Run.gridctl(Map.of(), "reputation").exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(Run.gridctl(Map.of(), "offers", "list").exit()).as("a class or a node").isEqualTo(ExitCodes.USAGE);
            assertThat(Run.gridctl(Map.of()).exit()).isEqualTo(ExitCodes.USAGE);
        }

        @Test
        void help_lists_the_commands_and_the_exit_codes() {
            var help = Run.gridctl(Map.of(), "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out()).contains("jobs", "offers", "accounts", "reputation", "params", "completion")
                    .contains("6  result digest mismatch");
            var jobs = Run.gridctl(Map.of(), "jobs", "--help");
            assertThat(jobs.out()).contains("submit", "list", "get", "watch", "results", "cancel");
        }

        @Test
        void completion_prints_a_bash_script_completing_the_subcommands() {
            var run = Run.gridctl(Map.of(), "completion", "bash");
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).contains("complete -F _complete_gridctl").contains("watch").contains("results");
        }

        @Test
        void with_json_output_gridctls_own_failures_print_the_apis_error_shape() throws Exception {
            var run = Run.gridctl(Map.of("GRIDCTL_URL", "http://127.0.0.1:1", "GRIDCTL_TOKEN", "t"), "params", "-o", "json");
            assertThat(run.exit()).isEqualTo(ExitCodes.ERROR);
            var body = new ObjectMapper().readTree(run.err());
            assertThat(body.get("code").asText()).isEqualTo("UNREACHABLE");
            assertThat(body.get("details").isArray()).isTrue();
        }

        @Test
        void an_unknown_output_format_is_a_usage_error() {
            var run = Run.gridctl(Map.of("GRIDCTL_URL", "http://localhost:1", "GRIDCTL_TOKEN", "t"), "params", "-o", "yaml");
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("--output must be table or json");
        }

        @Test
        void a_malformed_job_id_is_a_usage_error_before_any_request() {
            var run = Run.gridctl(Map.of("GRIDCTL_URL", "http://localhost:1", "GRIDCTL_TOKEN", "t"), "jobs", "get", "../admin");
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        }

        @Test
        void an_unreachable_gateway_is_a_generic_error_naming_it() {
            var run = Run.gridctl(Map.of("GRIDCTL_URL", "http://127.0.0.1:1", "GRIDCTL_TOKEN", "t"), "params");
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(run.err()).contains("UNREACHABLE").contains("127.0.0.1:1");
        }
    }
}
