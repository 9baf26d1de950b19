package io.gridledger.member;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * network-config/member/compose.yaml as one member's env file makes it: each service's environment and volumes with
 * {@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:?message}} (and their forms without the colon) and {@code $$}
 * resolved as Compose does, from the env file only. Variables a {@code ?} form requires and the file lacks are listed
 * in {@link #missing()}.
 */
final class MemberCompose {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final Map<String, String> variables;
    private final Map<String, Object> services;
    private final List<String> missing = new ArrayList<>();

    private MemberCompose(Map<String, String> variables, Map<String, Object> services) {
        this.variables = variables;
        this.services = services;
    }

    @SuppressWarnings("unchecked")
    static MemberCompose load(Path composeFile, Path envFile) {
        var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (var reader = Files.newBufferedReader(composeFile)) {
            Map<String, Object> document = yaml.load(reader);
            return new MemberCompose(envFile(envFile), (Map<String, Object>) document.get("services"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code KEY=VALUE} lines; blank lines and {@code #} comments skipped. */
    static Map<String, String> envFile(Path file) {
        var variables = new LinkedHashMap<String, String>();
        try {
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int equals = trimmed.indexOf('=');
                if (equals < 1) {
                    throw new IllegalArgumentException(file + ": not KEY=VALUE: " + line);
                }
                variables.put(trimmed.substring(0, equals).strip(), trimmed.substring(equals + 1).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return variables;
    }

    Map<String, String> variables() {
        return variables;
    }

    boolean hasService(String name) {
        return services.containsKey(name);
    }

    /** The service's environment, resolved. */
    Map<String, String> environment(String service) {
        var resolved = new LinkedHashMap<String, String>();
        Object environment = service(service).get("environment");
        if (environment instanceof Map<?, ?> map) {
            map.forEach((key, value) -> resolved.put(String.valueOf(key), value == null ? "" : resolve(String.valueOf(value))));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                resolved.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? "" : resolve(text.substring(equals + 1)));
            }
        }
        return resolved;
    }

    /** The service's volumes in short syntax, resolved: source, target, read-only. */
    List<Mount> volumes(String service) {
        var mounts = new ArrayList<Mount>();
        Object volumes = service(service).get("volumes");
        if (volumes instanceof List<?> list) {
            for (Object entry : list) {
                String[] parts = resolve(String.valueOf(entry)).split(":");
                mounts.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0],
                        parts.length > 2 && List.of(parts[2].split(",")).contains("ro")));
            }
        }
        return mounts;
    }

    /** Variables a {@code ${VAR:?…}} asked for and the env file does not set (or sets empty, for {@code :?}). */
    List<String> missing() {
        return List.copyOf(missing);
    }

    record Mount(String source, String target, boolean readOnly) {
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> service(String name) {
        var service = (Map<String, Object>) services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("compose.yaml has no service " + name);
        }
        return service;
    }

    String resolve(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        var out = new StringBuilder();
        while (matcher.find()) {
            String replacement;
            if (matcher.group().equals("$$")) {
                replacement = "$";
            } else {
                String name = matcher.group(1);
                String operator = matcher.group(2);
                String value = variables.get(name);
                boolean unset = value == null || (operator != null && operator.startsWith(":") && value.isEmpty());
                if (operator == null) {
                    replacement = value == null ? "" : value;
                } else if (operator.endsWith("-")) {
                    replacement = unset ? resolve(matcher.group(3)) : value;
                } else {
                    if (unset) {
                        missing.add(name);
                    }
                    replacement = unset ? "" : value;
                }
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
