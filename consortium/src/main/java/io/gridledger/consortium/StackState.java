package io.gridledger.consortium;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the local consortium has set up once and keeps across restarts ({@code DATA/consortium.json}, readable by its
 * owner only: it holds tokens): its shape, each gateway's admin token, each org's demo partner token, and which
 * one-time steps are done (the genesis parameters, deposits), so starting again resumes instead of repeating them.
 */
public final class StackState {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    public int orgs;
    public int portOffset;
    public Map<String, String> adminTokens = new LinkedHashMap<>();
    public Map<String, String> partnerTokens = new LinkedHashMap<>();
    public Map<String, String> objectSecrets = new LinkedHashMap<>();
    public Set<String> done = new LinkedHashSet<>();

    /** The state in {@code file}, or a new one for a new data folder. */
    public static StackState load(Path file) {
        if (!Files.exists(file)) {
            return new StackState();
        }
        try {
            return JSON.readValue(file.toFile(), StackState.class);
        } catch (IOException e) {
            throw new StackException(file + " is not a local consortium's state (" + e.getMessage()
                    + "); start with another --data-dir, or delete the folder to start afresh");
        }
    }

    /** Writes it atomically. */
    public synchronized void save(Path file) {
        try {
            Files.createDirectories(file.getParent());
            var temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(temporary.toFile(), this);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** The admin token of {@code mspId}'s gateway, made on first use. */
    public synchronized String adminToken(String mspId) {
        return adminTokens.computeIfAbsent(mspId, org -> "gladmin_" + HexFormat.of().formatHex(randomBytes()));
    }

    /** The secret key of {@code mspId}'s object store (its gateway's only key), made on first use. */
    public synchronized String objectSecret(String mspId) {
        return objectSecrets.computeIfAbsent(mspId, org -> HexFormat.of().formatHex(randomBytes()));
    }

    public synchronized boolean isDone(String step) {
        return done.contains(step);
    }

    public synchronized void markDone(String step) {
        done.add(step);
    }

    private static byte[] randomBytes() {
        var bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
