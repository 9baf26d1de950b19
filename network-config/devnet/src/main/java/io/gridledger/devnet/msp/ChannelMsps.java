package io.gridledger.devnet.msp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The MSPs of a channel's orgs, answering "who signed this?" for every creator, endorser and block signer:
 * {@link #deserialize} reads a {@code msp.SerializedIdentity} (MSP ID + PEM certificate) and validates it against the
 * named org's {@link OrgMsp}. Every transaction deserializes several identities, and a network has few distinct ones,
 * so validated identities are cached by their serialized bytes (bounded, oldest evicted first). Thread-safe.
 *
 * <pre>{@code
 * IdentityDeserializer msps = new ChannelMsps(List.of(org1Msp, org2Msp));
 * Identity creator = msps.deserialize(signatureHeader.getCreator());
 * boolean ok = creator.verify(payloadBytes, envelope.getSignature().toByteArray());
 * }</pre>
 */
public final class ChannelMsps implements IdentityDeserializer {

    public static final int DEFAULT_CACHE_SIZE = 4096;

    private final Map<String, OrgMsp> msps;
    private final int cacheSize;
    private final ConcurrentHashMap<ByteString, Identity> cache = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<ByteString> cacheOrder = new ConcurrentLinkedQueue<>();

    public ChannelMsps(Collection<OrgMsp> msps) {
        this(msps, DEFAULT_CACHE_SIZE);
    }

    public ChannelMsps(Collection<OrgMsp> msps, int cacheSize) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("the identity cache needs room for at least one identity");
        }
        var byId = new LinkedHashMap<String, OrgMsp>();
        for (var msp : msps) {
            if (byId.put(msp.mspId(), msp) != null) {
                throw new IllegalArgumentException("MSP ID " + msp.mspId() + " appears twice in a channel");
            }
        }
        this.msps = java.util.Collections.unmodifiableMap(byId);
        this.cacheSize = cacheSize;
    }

    public Set<String> mspIds() {
        return msps.keySet();
    }

    public Optional<OrgMsp> msp(String mspId) {
        return Optional.ofNullable(msps.get(mspId));
    }

    @Override
    public Identity deserialize(ByteString serializedIdentity) throws InvalidIdentityException {
        Objects.requireNonNull(serializedIdentity, "serializedIdentity");
        var cached = cache.get(serializedIdentity);
        if (cached != null) {
            return cached;
        }
        var identity = validate(serializedIdentity);
        if (cache.putIfAbsent(serializedIdentity, identity) == null) {
            cacheOrder.add(serializedIdentity);
            while (cache.size() > cacheSize) {
                var oldest = cacheOrder.poll();
                if (oldest == null) {
                    break;
                }
                cache.remove(oldest);
            }
        }
        return identity;
    }

    /** How many validated identities are cached (at most the cache size). */
    public int cachedIdentities() {
        return cache.size();
    }

    private Identity validate(ByteString serializedIdentity) throws InvalidIdentityException {
        SerializedIdentity parsed;
        try {
            parsed = SerializedIdentity.parseFrom(serializedIdentity);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidIdentityException("malformed serialized identity: " + e.getMessage(), e);
        }
        var msp = msps.get(parsed.getMspid());
        if (msp == null) {
            throw new InvalidIdentityException("unknown MSP ID '" + parsed.getMspid() + "'");
        }
        var der = Pem.firstCertificateDer(parsed.getIdBytes().toStringUtf8()).orElseThrow(() ->
                new InvalidIdentityException("the identity bytes for " + msp.mspId() + " are not a PEM certificate"));
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new InvalidIdentityException("the identity for " + msp.mspId() + " holds a malformed certificate: "
                    + e.getMessage(), e);
        }
        try {
            return msp.validate(serializedIdentity, certificate);
        } catch (InvalidIdentityException e) {
            throw e.refusedBy(msp.mspId());
        }
    }
}
