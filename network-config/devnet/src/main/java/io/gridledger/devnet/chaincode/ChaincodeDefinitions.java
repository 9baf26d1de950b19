package io.gridledger.devnet.chaincode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/** Reads {@code chaincode/definition.yaml}: one {@code Key: value} per line, {@code #} comments. */
public final class ChaincodeDefinitions {

    private ChaincodeDefinitions() {
    }

    public static ChaincodeDefinition read(Path file) {
        var values = new LinkedHashMap<String, String>();
        try {
            for (var line : Files.readAllLines(file)) {
                var text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                int colon = text.indexOf(':');
                if (colon <= 0) {
                    throw new IllegalArgumentException(file + ": expected 'Key: value', got '" + line + "'");
                }
                var value = text.substring(colon + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(text.substring(0, colon).strip(), value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chaincode definition " + file, e);
        }
        return new ChaincodeDefinition(required(values, "Name", file), required(values, "Version", file),
                Long.parseLong(values.getOrDefault("Sequence", "1")), required(values, "EndorsementPolicy", file),
                required(values, "Address", file));
    }

    private static String required(java.util.Map<String, String> values, String key, Path file) {
        var value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(file + ": missing " + key);
        }
        return value;
    }
}
