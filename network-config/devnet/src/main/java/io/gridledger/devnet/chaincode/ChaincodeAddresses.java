package io.gridledger.devnet.chaincode;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a chaincode's chaincode-as-a-service servers listen, as seen by each member org's peer: in Fabric every
 * org installs its own package, whose {@code connection.json} names its own server, so each org's endorsements come
 * from a server that org runs. One address for every org (a development shortcut: whoever runs it decides every
 * org's endorsement), one per org, or per-org addresses with a shared one for the orgs not named.
 *
 * <pre>{@code
 * ChaincodeAddresses.parse("127.0.0.1:9999");                                  // every org's peer dials it
 * ChaincodeAddresses.parse("Org1MSP=127.0.0.1:9991,Org2MSP=127.0.0.1:9992");  // each org's peer its own
 * addresses.forOrg("Org2MSP");                                                 // Optional[127.0.0.1:9992]
 * }</pre>
 *
 * {@link #toString()} gives the same text back, which {@code devnet up --chaincode-address} reads.
 */
public final class ChaincodeAddresses {

    private static final String OTHER_ORGS = "*";

    private final Optional<String> everyOrg;
    private final Map<String, String> byOrg;

    private ChaincodeAddresses(Optional<String> everyOrg, Map<String, String> byOrg) {
        this.everyOrg = everyOrg;
        this.byOrg = java.util.Collections.unmodifiableMap(new TreeMap<>(byOrg));
    }

    /** One server for every org's peer. */
    public static ChaincodeAddresses everyOrg(String hostAndPort) {
        return new ChaincodeAddresses(Optional.of(hostAndPort(hostAndPort)), Map.of());
    }

    /** One server per org, by MSP ID; an org not named has none. */
    public static ChaincodeAddresses byOrg(Map<String, String> addresses) {
        return new ChaincodeAddresses(Optional.empty(), validated(addresses));
    }

    /** Per-org servers, and {@code otherOrgs} for the orgs not named. */
    public static ChaincodeAddresses byOrg(Map<String, String> addresses, String otherOrgs) {
        return new ChaincodeAddresses(Optional.of(hostAndPort(otherOrgs)), validated(addresses));
    }

    /**
     * {@code HOST:PORT} (every org) or {@code MSPID=HOST:PORT,MSPID=HOST:PORT,…} (one per org), where
     * {@code *=HOST:PORT} stands for the orgs not named.
     *
     * @throws IllegalArgumentException with what is wrong
     */
    public static ChaincodeAddresses parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!text.contains("=")) {
            return everyOrg(text.strip());
        }
        var addresses = new TreeMap<String, String>();
        for (var entry : text.split(",")) {
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("expected MSPID=HOST:PORT, got '" + entry.strip() + "'");
            }
            var mspId = entry.substring(0, equals).strip();
            if (addresses.put(mspId, entry.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException(mspId + " is given two addresses");
            }
        }
        var otherOrgs = addresses.remove(OTHER_ORGS);
        if (addresses.isEmpty()) {
            return everyOrg(otherOrgs);
        }
        return otherOrgs == null ? byOrg(addresses) : byOrg(addresses, otherOrgs);
    }

    /** The address the org's peer dials, if any. */
    public Optional<String> forOrg(String mspId) {
        var own = byOrg.get(mspId);
        return own != null ? Optional.of(own) : everyOrg;
    }

    /** The orgs named with an address of their own, by MSP ID. */
    public Map<String, String> byOrg() {
        return byOrg;
    }

    /** {@code host:port} with a port from 1 to 65535. */
    public static String hostAndPort(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("addresses look like 127.0.0.1:9999, not '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
        return text;
    }

    private static Map<String, String> validated(Map<String, String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no chaincode server addresses");
        }
        addresses.forEach((mspId, address) -> {
            if (mspId.isBlank()) {
                throw new IllegalArgumentException("an address needs the MSP ID of its org");
            }
            hostAndPort(address);
        });
        return addresses;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChaincodeAddresses that && everyOrg.equals(that.everyOrg) && byOrg.equals(that.byOrg);
    }

    @Override
    public int hashCode() {
        return Objects.hash(everyOrg, byOrg);
    }

    /** {@code HOST:PORT}, or {@code MSPID=HOST:PORT,…} (then {@code *=HOST:PORT} for the other orgs, if any). */
    @Override
    public String toString() {
        if (byOrg.isEmpty()) {
            return everyOrg.orElseThrow();
        }
        var text = new StringBuilder();
        byOrg.forEach((mspId, address) -> text.append(text.isEmpty() ? "" : ",").append(mspId).append('=').append(address));
        everyOrg.ifPresent(address -> text.append(',').append(OTHER_ORGS).append('=').append(address));
        return text.toString();
    }
}
