package io.gridledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where gridctl finds its gateway and token: a flag wins over the environment ({@code GRIDCTL_URL},
 * {@code GRIDCTL_TOKEN}), which wins over the config file ({@code --config}, {@code GRIDCTL_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/gridctl/config.yaml} or {@code ~/.config/gridctl/config.yaml}):
 *
 * <pre>
 * url: http://localhost:8080
 * token: glt_…
 * output: table        # or json
 * </pre>
 *
 * @param url    the gateway's base URL (the API is under {@code /api/v1})
 * @param token  the partner's API token or JWT
 * @param output the default output format
 */
public record GridctlConfig(URI url, String token, String output) {

    /** Resolves the configuration; the URL and token must be found somewhere (else exit 2). */
    public static GridctlConfig resolve(String urlFlag, String tokenFlag, Path configFlag, String outputFlag,
                                        Map<String, String> env) {
        var file = readFile(configFile(configFlag, env));
        var url = first(urlFlag, env.get("GRIDCTL_URL"), text(file, "url"));
        var token = first(tokenFlag, env.get("GRIDCTL_TOKEN"), text(file, "token"));
        var output = first(outputFlag, env.get("GRIDCTL_OUTPUT"), text(file, "output"));
        if (url == null) {
            throw ApiFailure.local("NO_URL", "no gateway URL: pass --url, set GRIDCTL_URL or `url:` in "
                    + configFile(configFlag, env).map(Path::toString).orElse("the config file"), ExitCodes.USAGE);
        }
        if (token == null) {
            throw ApiFailure.local("NO_TOKEN", "no API token: pass --token, set GRIDCTL_TOKEN or `token:` in the config file",
                    ExitCodes.USAGE);
        }
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw ApiFailure.local("BAD_URL", "not a URL: " + url, ExitCodes.USAGE);
        }
        if (base.getScheme() == null || !base.getScheme().matches("https?") || base.getHost() == null) {
            throw ApiFailure.local("BAD_URL", "not an http(s) URL: " + url, ExitCodes.USAGE);
        }
        return new GridctlConfig(base, token, output == null ? "table" : output);
    }

    /** The config file to read: --config (must exist), GRIDCTL_CONFIG, else the default location if present. */
    static Optional<Path> configFile(Path flag, Map<String, String> env) {
        if (flag != null) {
            if (!Files.isRegularFile(flag)) {
                throw ApiFailure.local("NO_CONFIG", "config file not found: " + flag, ExitCodes.USAGE);
            }
            return Optional.of(flag);
        }
        if (env.get("GRIDCTL_CONFIG") != null) {
            return Optional.of(Path.of(env.get("GRIDCTL_CONFIG")));
        }
        var base = env.get("XDG_CONFIG_HOME") != null ? Path.of(env.get("XDG_CONFIG_HOME"))
                : env.get("HOME") != null ? Path.of(env.get("HOME"), ".config") : null;
        return Optional.ofNullable(base).map(b -> b.resolve("gridctl/config.yaml"));
    }

    private static Optional<JsonNode> readFile(Optional<Path> path) {
        if (path.isEmpty() || !Files.isRegularFile(path.get())) {
            return Optional.empty();
        }
        try {
            var tree = new ObjectMapper(new YAMLFactory()).readTree(path.get().toFile());
            if (tree != null && !tree.isNull() && !tree.isObject()) {
                throw ApiFailure.local("BAD_CONFIG", path.get() + ": expected a mapping of url, token, output", ExitCodes.USAGE);
            }
            return Optional.ofNullable(tree);
        } catch (IOException e) {
            throw ApiFailure.local("BAD_CONFIG", path.get() + ": " + e.getMessage(), ExitCodes.USAGE);
        }
    }

    private static String text(Optional<JsonNode> file, String field) {
        return file.map(f -> f.get(field)).filter(JsonNode::isValueNode).map(JsonNode::asText).orElse(null);
    }

    private static String first(String... values) {
        for (var value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
