package io.gridledger.ledger.fabric;

import io.gridledger.ledger.Identities;
import static org.hyperledger.fabric.client.identity.Identities.readPrivateKey;
import static org.hyperledger.fabric.client.identity.Identities.readX509Certificate;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.cert.CertificateException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An org's identities from files in the layout cryptogen, Fabric CA clients and devnet write:
 * {@code usersDir/<name>@<domain>/msp/signcerts/*.pem} and {@code …/msp/keystore/*}. An identity is known by its
 * folder's name up to the {@code @} ({@code Admin}, {@code User1}, {@code node1}) and by the whole name.
 */
public final class FileIdentities implements Identities {

    private final String mspId;
    private final Map<String, SigningIdentity> byName;

    private FileIdentities(String mspId, Map<String, SigningIdentity> byName) {
        this.mspId = mspId;
        this.byName = byName;
    }

    /** Reads every identity under {@code usersDir}. */
    public static FileIdentities load(String mspId, Path usersDir) {
        if (!Files.isDirectory(usersDir)) {
            throw new IllegalStateException("no identities: " + usersDir + " is not a folder");
        }
        var byName = new TreeMap<String, SigningIdentity>();
        try (Stream<Path> dirs = Files.list(usersDir)) {
            for (var dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                var msp = dir.resolve("msp");
                if (!Files.isDirectory(msp.resolve("signcerts")) || !Files.isDirectory(msp.resolve("keystore"))) {
                    continue;
                }
                var folder = dir.getFileName().toString();
                var shortName = folder.contains("@") ? folder.substring(0, folder.indexOf('@')) : folder;
                var identity = read(shortName, mspId, msp);
                byName.put(shortName, identity);
                byName.put(folder, identity);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read identities in " + usersDir, e);
        }
        if (byName.isEmpty()) {
            throw new IllegalStateException("no identities in " + usersDir + " (expected <name>@<domain>/msp/{signcerts,keystore})");
        }
        return new FileIdentities(mspId, byName);
    }

    private static SigningIdentity read(String name, String mspId, Path msp) throws IOException {
        var certificateFile = first(msp.resolve("signcerts"));
        var keyFile = first(msp.resolve("keystore"));
        try (var certificateReader = Files.newBufferedReader(certificateFile); var keyReader = Files.newBufferedReader(keyFile)) {
            var certificate = readX509Certificate(certificateReader);
            return new SigningIdentity(name, mspId, commonName(certificate.getSubjectX500Principal().getName()),
                    certificate, readPrivateKey(keyReader));
        } catch (CertificateException | InvalidKeyException e) {
            throw new IllegalStateException("unreadable identity " + name + " in " + msp + ": " + e.getMessage(), e);
        }
    }

    private static Path first(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no file in " + dir));
        }
    }

    private static String commonName(String subject) {
        try {
            return new LdapName(subject).getRdns().stream().filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(rdn -> rdn.getValue().toString()).findFirst().orElse(subject);
        } catch (InvalidNameException e) {
            return subject;
        }
    }

    @Override
    public String mspId() {
        return mspId;
    }

    @Override
    public SigningIdentity identity(String name) {
        var identity = byName.get(name);
        if (identity == null) {
            throw new IllegalArgumentException("no identity '" + name + "' of " + mspId + "; known: " + names());
        }
        return identity;
    }

    @Override
    public Set<String> names() {
        return byName.keySet();
    }
}
