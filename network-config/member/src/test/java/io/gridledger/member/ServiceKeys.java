package io.gridledger.member;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.http.server.HttpServerConfiguration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys one Micronaut service really reads, as environment variable names
 * ({@code gridledger.fabric.peer-endpoint} → {@code GRIDLEDGER_FABRIC_PEER_ENDPOINT}), collected from what the service
 * is built of, never from a list kept by hand:
 *
 * <ul>
 *   <li>every {@code @ConfigurationProperties} class of the service's own code: its prefix and each record component
 *       (or setter), kebab-cased; a {@code Map} component accepts any key under it ({@code gridledger.agent.gateways.*});</li>
 *   <li>every {@code ${key…}} placeholder in the service's classes (its {@code @Value}, {@code @Topic},
 *       {@code @KafkaListener} and {@code @Scheduled} expressions) and in its packaged {@code application.properties};</li>
 *   <li>the framework's: {@code micronaut.server.*} from {@link HttpServerConfiguration}'s setters, and micronaut-kafka's
 *       {@code kafka.*}, which it hands to every Kafka client, so Kafka's own client config names.</li>
 * </ul>
 *
 * Usage: {@code ServiceKeys.of(GatewayApplication.class).binds("GRIDLEDGER_FABRIC_MSP_ID")}.
 */
final class ServiceKeys {

    private static final String CONFIGURATION_PROPERTIES = "L" + ConfigurationProperties.class.getName().replace('.', '/') + ";";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9._-]+)");

    private final String service;
    private final Set<String> exact = new TreeSet<>();
    private final Set<String> mapPrefixes = new TreeSet<>();

    private ServiceKeys(String service) {
        this.service = service;
    }

    /** The keys of the service whose code (a jar or a classes folder) holds {@code application}. */
    static ServiceKeys of(Class<?> application) {
        var keys = new ServiceKeys(application.getSimpleName());
        Path code;
        try {
            code = Path.of(application.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        var loader = application.getClassLoader();
        forEachEntry(code, (name, bytes) -> {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            if (name.endsWith(".class")) {
                PLACEHOLDER.matcher(text).results().forEach(m -> keys.exact.add(env(m.group(1))));
                if (text.contains(CONFIGURATION_PROPERTIES)) {
                    keys.addSettingsClass(load(loader, name));
                }
            } else if (name.equals("application.properties")) {
                PLACEHOLDER.matcher(new String(bytes, StandardCharsets.UTF_8)).results()
                        .forEach(m -> keys.exact.add(env(m.group(1))));
            }
        });
        keys.addSettingsClass(HttpServerConfiguration.class);
        Stream.of(ConsumerConfig.configNames(), ProducerConfig.configNames(), AdminClientConfig.configNames())
                .flatMap(Set::stream).forEach(name -> keys.exact.add(env("kafka." + name)));
        return keys;
    }

    /** Whether the service binds the environment variable {@code name}. */
    boolean binds(String name) {
        return exact.contains(name)
                || mapPrefixes.stream().anyMatch(prefix -> name.startsWith(prefix) && name.length() > prefix.length());
    }

    String service() {
        return service;
    }

    /** {@code gridledger.fabric.peer-endpoint} → {@code GRIDLEDGER_FABRIC_PEER_ENDPOINT}, Micronaut's mapping reversed. */
    static String env(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void addSettingsClass(Class<?> type) {
        String prefix = prefix(type);
        if (prefix == null) {
            return;
        }
        if (type.isRecord()) {
            for (var component : type.getRecordComponents()) {
                add(prefix + "." + kebab(component.getName()), Map.class.isAssignableFrom(component.getType()));
            }
        } else {
            for (Method method : type.getMethods()) {
                if (method.getName().startsWith("set") && method.getName().length() > 3 && method.getParameterCount() == 1
                        && !Modifier.isStatic(method.getModifiers())) {
                    add(prefix + "." + kebab(method.getName().substring(3)),
                            Map.class.isAssignableFrom(method.getParameterTypes()[0]));
                }
            }
        }
    }

    private void add(String property, boolean map) {
        if (map) {
            mapPrefixes.add(env(property) + "_");
        } else {
            exact.add(env(property));
        }
    }

    /** The full prefix: a nested settings class continues its enclosing one's. */
    private static String prefix(Class<?> type) {
        var annotation = type.getAnnotation(ConfigurationProperties.class);
        if (annotation == null) {
            return null;
        }
        var outer = type.getEnclosingClass() == null ? null : prefix(type.getEnclosingClass());
        return outer == null ? annotation.value() : outer + "." + annotation.value();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Class<?> load(ClassLoader loader, String entry) {
        String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cannot load " + name, e);
        }
    }

    private interface EntryVisitor {
        void visit(String name, byte[] bytes) throws IOException;
    }

    private static void forEachEntry(Path code, EntryVisitor visitor) {
        try {
            if (Files.isDirectory(code)) {
                try (var files = Files.walk(code)) {
                    for (var file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        visitor.visit(code.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                    }
                }
            } else {
                try (var jar = new JarFile(code.toFile())) {
                    for (var entry : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                        if (!entry.isDirectory()) {
                            try (var in = jar.getInputStream(entry)) {
                                visitor.visit(entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return service + " binds " + exact.size() + " keys and any key under " + mapPrefixes;
    }
}
