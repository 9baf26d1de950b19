package io.gridledger.devnet.msp;

import io.gridledger.devnet.msp.Identity.NodeRole;

import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An MSP's node OU classification ({@code NodeOUs} in {@code config.yaml}): which subject OU marks a client, peer,
 * admin or orderer, and optionally which CA must have issued an identity for that OU to count. When enabled, every
 * identity must carry exactly one of these OUs; that is how Fabric tells apart roles without admincerts.
 */
public record NodeOus(boolean enabled, Map<NodeRole, OuIdentifier> identifiers) {

    /** A node OU: its name and, if the MSP names one, the CA certificate that must be the identity's issuer. */
    public record OuIdentifier(String organizationalUnit, Optional<X509Certificate> certificate) {
        public OuIdentifier {
            Objects.requireNonNull(organizationalUnit, "organizationalUnit");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    public NodeOus {
        var copy = new EnumMap<NodeRole, OuIdentifier>(NodeRole.class);
        copy.putAll(identifiers);
        identifiers = java.util.Collections.unmodifiableMap(copy);
    }

    public static NodeOus disabled() {
        return new NodeOus(false, Map.of());
    }

    /** What cryptogen configures: OUs {@code client}, {@code peer}, {@code admin}, {@code orderer}, all certified by {@code ca}. */
    public static NodeOus cryptogen(X509Certificate ca) {
        var identifiers = new EnumMap<NodeRole, OuIdentifier>(NodeRole.class);
        for (var role : NodeRole.values()) {
            identifiers.put(role, new OuIdentifier(role.name().toLowerCase(java.util.Locale.ROOT), Optional.of(ca)));
        }
        return new NodeOus(true, identifiers);
    }

    public Optional<OuIdentifier> identifier(NodeRole role) {
        return Optional.ofNullable(identifiers.get(role));
    }
}
