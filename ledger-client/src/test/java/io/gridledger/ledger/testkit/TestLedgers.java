package io.gridledger.ledger.testkit;

import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.fabric.FabricLedger;
import io.gridledger.ledger.fabric.FabricSettings;
import io.gridledger.ledger.fabric.FileIdentities;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.serde.ObjectMapper;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ledger facades and gateway configuration for the orgs of the {@link LocalConsortium}: what each org's gateway would
 * use, so tests can act as any org's identities (a client of Org1, the provider nodes of Org2 and Org3).
 *
 * <pre>{@code
 * var org2 = TestLedgers.of("Org2MSP");                  // shared, closed at JVM exit
 * org2.publishOffer("node1", Offers.cpu("offer-1", 10, 1, pool));
 * ApplicationContext.run(TestLedgers.gatewayProperties("Org1MSP"));
 * }</pre>
 */
public final class TestLedgers {

    private static final Map<String, FabricLedger> SHARED = new ConcurrentHashMap<>();

    private TestLedgers() {
    }

    /** The shared facade of {@code mspId}'s identities over its own peer. */
    public static Ledger of(String mspId) {
        return SHARED.computeIfAbsent(mspId, org -> {
            var ledger = create(settings(LocalConsortium.shared(), org, Duration.ofSeconds(30), Duration.ofSeconds(30)),
                    new SimpleMeterRegistry());
            Runtime.getRuntime().addShutdownHook(new Thread(ledger::close));
            return ledger;
        });
    }

    /** A new facade of {@code mspId} with these query and endorsement deadlines, metered into {@code meters}: close it. */
    public static FabricLedger create(String mspId, Duration evaluateTimeout, Duration endorseTimeout, MeterRegistry meters) {
        return create(settings(LocalConsortium.shared(), mspId, evaluateTimeout, endorseTimeout), meters);
    }

    public static FabricLedger create(FabricSettings settings, MeterRegistry meters) {
        return new FabricLedger(settings, FileIdentities.load(settings.mspId(), Path.of(settings.usersDir())),
                ObjectMapper.getDefault(), meters);
    }

    public static FabricSettings settings(LocalConsortium consortium, String mspId, Duration evaluateTimeout, Duration endorseTimeout) {
        var org = consortium.org(mspId);
        return new FabricSettings(mspId, org.peerEndpoint(), org.usersDir().toString(), LocalConsortium.CHANNEL,
                LocalConsortium.CHAINCODE, null, null, evaluateTimeout, endorseTimeout, Duration.ofSeconds(30),
                Duration.ofSeconds(60), 6, Duration.ofMillis(50), Duration.ofSeconds(1));
    }

    /** Configuration of {@code mspId}'s gateway service against the local consortium (ledger only). */
    public static Map<String, Object> gatewayProperties(String mspId) {
        var org = LocalConsortium.shared().org(mspId);
        var properties = new LinkedHashMap<String, Object>();
        properties.put("gridledger.fabric.msp-id", mspId);
        properties.put("gridledger.fabric.peer-endpoint", org.peerEndpoint());
        properties.put("gridledger.fabric.users-dir", org.usersDir().toString());
        return properties;
    }
}
