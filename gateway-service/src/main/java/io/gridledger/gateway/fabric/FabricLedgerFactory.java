package io.gridledger.gateway.fabric;

import io.gridledger.ledger.Identities;
import io.gridledger.ledger.fabric.FabricLedger;
import io.gridledger.ledger.fabric.FabricSettings;
import io.gridledger.ledger.fabric.FileIdentities;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** The ledger beans, present when {@code gridledger.fabric.peer-endpoint} is configured. */
@Factory
@Requires(property = "gridledger.fabric.peer-endpoint")
final class FabricLedgerFactory {

    @Singleton
    FabricSettings fabricSettings(FabricProperties properties) {
        return properties.settings();
    }

    @Singleton
    Identities identities(FabricSettings settings) {
        return FileIdentities.load(settings.mspId(), Path.of(settings.usersDir()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    FabricLedger ledger(FabricSettings settings, Identities identities, JsonMapper json, @Nullable MeterRegistry meters) {
        return new FabricLedger(settings, identities, json, meters == null ? new SimpleMeterRegistry() : meters);
    }
}
