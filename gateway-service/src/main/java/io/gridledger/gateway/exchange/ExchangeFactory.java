package io.gridledger.gateway.exchange;

import io.gridledger.exchange.InMemoryNonceRegistry;
import io.gridledger.exchange.NodeRequestVerifier;
import io.gridledger.gateway.agents.NodeProgressSink;
import io.gridledger.ledger.Ledger;
import io.gridledger.gateway.objects.ObjectStorage;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The node exchange's beans, present when this gateway has an object store: the request verifier (this org as the
 * audience, the channel configuration's CAs as the trust, nonces remembered in memory) and the service.
 */
@Factory
@Requires(beans = ObjectStorage.class)
final class ExchangeFactory {

    @Singleton
    NodeRequestVerifier nodeRequestVerifier(@Value("${gridledger.fabric.msp-id}") String mspId, Ledger ledger,
                                            ExchangeSettings settings, JsonMapper json) {
        var clock = Clock.systemUTC();
        return new NodeRequestVerifier(mspId, clock, settings.clockTolerance(),
                new ChannelTrust(ledger, settings.identity(), settings.channelConfigTtl(), clock, json),
                new InMemoryNonceRegistry(settings.nonceCapacity(), clock));
    }

    @Singleton
    ExchangeRecords exchangeRecords(ObjectStorage storage, JsonMapper json) {
        return new ExchangeRecords(storage, json);
    }

    @Singleton
    NodeExchangeService nodeExchangeService(@Value("${gridledger.fabric.msp-id}") String mspId, Ledger ledger,
                                            ObjectStorage storage, ExchangeRecords records, NodeProgressSink progress,
                                            ExchangeSettings settings) {
        return new NodeExchangeService(ledger, mspId, storage, records, progress, settings, Clock.systemUTC());
    }
}
