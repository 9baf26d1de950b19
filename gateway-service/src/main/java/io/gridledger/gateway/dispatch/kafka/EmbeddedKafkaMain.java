package io.gridledger.gateway.dispatch.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The embedded one-node KRaft broker as a process of its own, for the local consortium ({@code ./gridledger up}), which
 * runs each org's Kafka beside its gateway so either can restart without the other, as on a member's own hosts:
 *
 * <pre>{@code
 * java -cp gridledger-gateway.jar io.gridledger.gateway.dispatch.kafka.EmbeddedKafkaMain DATA_DIR PORT
 * }</pre>
 *
 * Prints {@value #READY} and the address once it accepts clients; SIGTERM shuts it down cleanly (its data stays, so a
 * restart on the same folder and port resumes every topic and consumer offset).
 */
public final class EmbeddedKafkaMain {

    public static final String READY = "embedded kafka ready on ";

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: EmbeddedKafkaMain DATA_DIR PORT");
            System.exit(2);
        }
        var kafka = EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]));
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "stop-embedded-kafka"));
        System.out.println(READY + kafka.bootstrapServers());
        stopped.await();
    }
}
