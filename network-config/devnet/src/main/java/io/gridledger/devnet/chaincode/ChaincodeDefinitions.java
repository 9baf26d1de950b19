package io.gridledger.devnet.chaincode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code chaincode/definition.yaml}: one {@code Key: value} per line, {@code #} comments (network.sh reads the
 * same file without a YAML tool). The chaincode servers: {@code Address.<MSP ID>: host:port}, one line per org, each
 * org's own server; {@code Address: host:port} for every org not named that way.
 */
public final class ChaincodeDefinitions {

    /** {@code Address.Org1MSP}: the address of Org1MSP's own chaincode server. */
    public static final String ORG_ADDRESS_PREFIX = "Address.";

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
                addresses(values, file));
    }

    private static ChaincodeAddresses addresses(Map<String, String> values, Path file) {
        var byOrg = new TreeMap<String, String>();
        values.forEach((key, value) -> {
            if (key.startsWith(ORG_ADDRESS_PREFIX)) {
                byOrg.put(key.substring(ORG_ADDRESS_PREFIX.length()), value);
            }
        });
        var everyOrg = values.getOrDefault("Address", "");
        if (byOrg.isEmpty() && everyOrg.isEmpty()) {
            throw new IllegalArgumentException(file + ": missing Address.<MSP ID> (one per org) or Address (every org)");
        }
        try {
            if (byOrg.isEmpty()) {
                return ChaincodeAddresses.everyOrg(everyOrg);
            }
            return everyOrg.isEmpty() ? ChaincodeAddresses.byOrg(byOrg) : ChaincodeAddresses.byOrg(byOrg, everyOrg);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> values, String key, Path file) {
        var value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(file + ": missing " + key);
        }
        return value;
    }
}
