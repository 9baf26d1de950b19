package io.gridledger.devnet.chaincode;

import io.gridledger.devnet.ledger.state.TxSimulator;
import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.network.ChaincodeProcess;
import io.gridledger.devnet.testing.TransactionBuilder;
import io.gridledger.devnet.testing.Consortium;
import io.grpc.HandlerRegistry;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.metrics.Metrics;
import org.hyperledger.fabric.shim.ChaincodeBase;
import org.hyperledger.fabric.shim.ChaincodeServerProperties;
import org.hyperledger.fabric.shim.ChaincodeStub;
import org.hyperledger.fabric.shim.NettyGrpcServer;
import org.hyperledger.fabric.traces.Traces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The peer side of chaincode-as-a-service, against a chaincode server on the real Java shim in this JVM. */
class ChaincodeConnectionTest {

    private final int port = ChaincodeProcess.freePort();
    private final ChaincodeConnection connection =
            new ChaincodeConnection("echo", "127.0.0.1:" + port, Duration.ofSeconds(30));
    private NettyGrpcServer server;

    @AfterEach
    void stop() {
        connection.close();
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void await_ready_waits_for_a_chaincode_server_that_starts_later_and_then_runs_transactions() throws Exception {
        var ready = CompletableFuture.runAsync(() -> {
            try {
                connection.awaitReady(Duration.ofSeconds(30));
            } catch (ChaincodeExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(ready).isNotDone();

        server = startEchoChaincode(port);

        ready.get(30, TimeUnit.SECONDS);
        var proposal = TransactionBuilder.proposedBy(Consortium.shared().client("Org1MSP")).args("Echo", "hello");
        try (var simulator = new TxSimulator(new WorldState(), proposal.txId())) {
            var result = connection.execute(Consortium.CHANNEL, proposal.txId(), proposal.signedProposal(),
                    ChaincodeInput.newBuilder().addArgs(com.google.protobuf.ByteString.copyFromUtf8("Echo"))
                            .addArgs(com.google.protobuf.ByteString.copyFromUtf8("hello")).build(), simulator)
                    .get(30, TimeUnit.SECONDS);
            assertThat(result.response().getStatus()).isEqualTo(200);
            assertThat(result.response().getPayload().toStringUtf8()).isEqualTo("Echo,hello");
        }
    }

    @Test
    void await_ready_gives_up_when_its_deadline_passes() {
        var timeout = Duration.ofSeconds(2);
        long started = System.nanoTime();

        assertThatThrownBy(() -> connection.awaitReady(timeout))
                .isInstanceOf(ChaincodeExecutionException.class)
                .hasMessage("could not connect to chaincode echo at 127.0.0.1:" + port + ": not registered within PT2S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(timeout);
    }

    @Test
    void await_ready_reports_a_server_that_is_no_chaincode_at_once_instead_of_retrying_until_the_deadline() throws Exception {
        var calls = new AtomicInteger();
        var notAChaincode = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .fallbackHandlerRegistry(new HandlerRegistry() {
                    @Override
                    public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
                        calls.incrementAndGet();
                        return null; // UNIMPLEMENTED
                    }
                })
                .build().start();
        try {
            long started = System.nanoTime();

            assertThatThrownBy(() -> connection.awaitReady(Duration.ofSeconds(30)))
                    .isInstanceOf(ChaincodeExecutionException.class).hasMessageContaining("UNIMPLEMENTED");

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            assertThat(calls).hasValue(1);
        } finally {
            notAChaincode.shutdownNow();
        }
    }

    private static NettyGrpcServer startEchoChaincode(int port) throws Exception {
        var properties = new ChaincodeServerProperties();
        properties.setServerAddress(new InetSocketAddress("127.0.0.1", port));
        var server = new NettyGrpcServer(new EchoChaincode(), properties);
        server.start();
        return server;
    }

    /** Answers every invocation with its function and arguments, comma-separated. */
    private static final class EchoChaincode extends ChaincodeBase {

        EchoChaincode() {
            // What ChaincodeBase.start() does before it serves, for a server started by hand.
            processCommandLineOptions(new String[] {"--id", "echo:1.0"});
            Metrics.initialize(getChaincodeConfig());
            Traces.initialize(getChaincodeConfig());
        }

        @Override
        public Response init(ChaincodeStub stub) {
            return newSuccessResponse();
        }

        @Override
        public Response invoke(ChaincodeStub stub) {
            return newSuccessResponse(String.join(",", stub.getStringArgs()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
