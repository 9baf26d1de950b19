package io.gridledger.consortium;

/**
 * One running part of the local consortium (devnet, an org's chaincode server, Kafka, object store, gateway or provider
 * agent), as the end-to-end suite handles it: stop it cleanly, crash it, start it again on the same data and port.
 */
public interface Part {

    String name();

    /** Its process's id (the current one: a restart changes it). */
    long pid();

    /** Whether its process runs. */
    boolean isRunning();

    /** Starts it again (same data, same port) and returns once it is ready. */
    void start();

    /** A clean stop (SIGTERM). */
    void stop();

    /** A crash (SIGKILL): nothing is flushed or closed. */
    void kill();
}
