package io.gridledger.agent;

import io.gridledger.agent.config.AgentSettings;
import io.gridledger.agent.config.NodeLedgerProperties;
import io.gridledger.agent.exchange.JobExchange;
import io.gridledger.agent.exchange.Transfers;
import io.gridledger.agent.exchange.http.SignedGatewayExchange;
import io.gridledger.agent.journal.Journal;
import io.gridledger.agent.node.NvidiaSmi;
import io.gridledger.agent.runtime.ContainerRuntime;
import io.gridledger.agent.runtime.ContainerRuntimeException;
import io.gridledger.agent.runtime.docker.DockerJavaRuntime;
import io.gridledger.exchange.NodeRequestSigner;
import io.gridledger.ledger.Identities;
import io.gridledger.ledger.fabric.FabricLedger;
import io.gridledger.ledger.fabric.FileIdentities;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * The agent's adapters: the ledger client as the node's org (signing as the node's identity), the container engine,
 * the journal, the node exchange signed with the node's key, and the HTTP client for presigned transfers.
 */
@Factory
final class AgentFactory {

    @Singleton
    Identities identities(NodeLedgerProperties fabric) {
        return FileIdentities.load(fabric.mspId(), Path.of(fabric.usersDir()));
    }

    @Singleton
    NodeIdentity node(Identities identities, AgentSettings settings) {
        return NodeIdentity.of(identities.identity(settings.identity()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    FabricLedger ledger(NodeLedgerProperties fabric, Identities identities, JsonMapper json, MeterRegistry meters) {
        return new FabricLedger(fabric.settings(), identities, json, meters);
    }

    @Singleton
    @Bean(preDestroy = "close")
    ContainerRuntime runtime(AgentSettings settings, NodeIdentity node) throws ContainerRuntimeException {
        return DockerJavaRuntime.connect(URI.create(settings.engineSocket()),
                DockerJavaRuntime.Options.defaults(NvidiaSmi.detect()).withOwner(node.nodeId()));
    }

    @Singleton
    @Bean(preDestroy = "close")
    Journal journal(AgentSettings settings) throws IOException {
        return Journal.open(Path.of(settings.dataDir()).resolve("journal.log"));
    }

    @Singleton
    HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Singleton
    Transfers transfers(HttpClient http) {
        return new Transfers(http, Duration.ofHours(1));
    }

    @Singleton
    JobExchange exchange(Identities identities, AgentSettings settings, JsonMapper json, HttpClient http) {
        var identity = identities.identity(settings.identity());
        var signer = NodeRequestSigner.create(identity.mspId(), NodeIdentity.of(identity).certificatePem(),
                identity.privateKey());
        return new SignedGatewayExchange(signer, settings::gateway, json, http, Duration.ofSeconds(30));
    }

    @Singleton
    SecureRandom random() {
        return new SecureRandom();
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
