package io.gridledger.storage.s3proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs s3proxy's own {@code Main} on a properties file, then tells the parent process it is serving.
 *
 * <p>gridledger-storage's {@code EmbeddedS3Server} starts this class as a child process on this module's classpath
 * ({@code target/gridledger-s3proxy.jar} and {@code target/s3proxy-lib/}), so s3proxy's Jetty, cloud SDKs and
 * Logback never share a classpath with the services that use the store. It adds two things to s3proxy's CLI:
 *
 * <ul>
 *   <li>{@value #READY} on standard output once s3proxy's {@code Main} has returned, i.e. once Jetty listens (Main
 *       exits the JVM with status 1 when it cannot start, for example when the port is taken);
 *   <li>with {@code --exit-with-parent}, the process exits when its standard input reaches end of file: the parent
 *       holds that pipe open, so the server never outlives the JVM that started it, even one killed with SIGKILL.
 * </ul>
 *
 * <pre>{@code java -jar gridledger-s3proxy.jar --properties s3proxy.conf [--exit-with-parent]}</pre>
 */
public final class EmbeddedS3ProxyMain {

    /** The line printed once the server listens. */
    public static final String READY = "gridledger-s3proxy: ready";

    private EmbeddedS3ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        Path properties = null;
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--properties" -> properties = Path.of(requireValue(args, ++i, "--properties"));
                case "--exit-with-parent" -> exitWithParent = true;
                default -> usage("unknown option " + args[i]);
            }
        }
        if (properties == null) {
            usage("--properties is required");
        } else if (!Files.isReadable(properties)) {
            usage("cannot read the properties file " + properties);
        }
        if (exitWithParent) {
            var watcher = new Thread(EmbeddedS3ProxyMain::exitAtEndOfInput, "exit-with-parent");
            watcher.setDaemon(true);
            watcher.start();
        }
        org.gaul.s3proxy.Main.main(new String[] {"--properties", properties.toString()});
        System.out.println(READY);
        System.out.flush();
    }

    private static void exitAtEndOfInput() {
        try (InputStream in = System.in) {
            while (in.read() >= 0) {
                // The parent writes nothing; any byte is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the parent is gone, the same as end of input.
        }
        System.exit(0);
    }

    private static String requireValue(String[] args, int index, String option) {
        if (index >= args.length) {
            usage(option + " needs a value");
        }
        return args[index];
    }

    private static void usage(String problem) {
        System.err.println("gridledger-s3proxy: " + problem);
        System.err.println("usage: java -jar gridledger-s3proxy.jar --properties FILE [--exit-with-parent]");
        System.exit(2);
    }
}
