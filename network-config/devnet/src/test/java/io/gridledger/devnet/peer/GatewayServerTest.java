package io.gridledger.devnet.peer;

import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.orderer.BatchSettings;
import io.gridledger.devnet.orderer.Orderer;
import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.scc.SystemChaincodes;
import io.gridledger.devnet.testing.Consortium;
import io.gridledger.devnet.testing.RwSet;
import io.gridledger.devnet.testing.TransactionBuilder;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import org.hyperledger.fabric.protos.gateway.CommitStatusRequest;
import org.hyperledger.fabric.protos.gateway.GatewayGrpc;
import org.hyperledger.fabric.protos.gateway.SignedCommitStatusRequest;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The peer Gateway service over real gRPC, on a real ledger: its CommitStatus call. */
class GatewayServerTest {

    private static final Consortium consortium = Consortium.shared();

    @TempDir
    Path dir;
    private ChannelLedger ledger;
    private Orderer orderer;
    private ExecutorService streams;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        ledger = consortium.openLedger(dir);
        orderer = new Orderer(ledger, consortium.msps(), consortium.policies(), new BatchSettings(Duration.ofMillis(50), 10, 1 << 20, 10 << 20));
        streams = Executors.newCachedThreadPool();
        var peer = consortium.peer("Org1MSP");
        var endorser = new Endorser(Consortium.CHANNEL, peer, consortium.msps(), new WorldState(), ledger::isCommitted,
                Map.of(Consortium.CHAINCODE, consortium.definition()), Map.of(), SystemChaincodes.none());
        var node = new PeerNode("Org1MSP", "127.0.0.1:0", consortium.msps().deserialize(peer.serialized()), endorser);
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new GatewayServer(node, List.of(node), ledger, orderer,
                        consortium.accessControl("Org1MSP"), consortium.requirements(), streams))
                .build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        orderer.close();
        streams.shutdown();
        ledger.close();
    }

    @Test
    void commit_status_answers_with_the_code_and_block_once_the_transaction_commits() {
        var tx = TransactionBuilder.proposedBy(consortium.client("Org1MSP"))
                .results(RwSet.in(Consortium.CHAINCODE).write("asset-1", "{}").build())
                .endorsedBy(consortium.peer("Org1MSP"), consortium.peer("Org2MSP"));
        orderer.broadcast(tx.envelope());

        var status = GatewayGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .commitStatus(request(tx.txId()));

        assertThat(status.getResult()).isEqualTo(TxValidationCode.VALID);
        assertThat(status.getBlockNumber()).isEqualTo(1);
    }

    @Test
    void a_client_that_cancels_or_whose_deadline_passes_leaves_no_wait_behind() {
        var stub = GatewayGrpc.newFutureStub(channel);
        var cancelled = stub.commitStatus(request("never-committed-1"));
        var timedOut = stub.withDeadlineAfter(2, TimeUnit.SECONDS).commitStatus(request("never-committed-2"));
        await().atMost(Duration.ofSeconds(2)).until(() -> ledger.awaitedTransactions() == 2);

        cancelled.cancel(true);

        assertThatThrownBy(() -> timedOut.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        await().atMost(Duration.ofSeconds(5)).until(() -> ledger.awaitedTransactions() == 0);
    }

    private static SignedCommitStatusRequest request(String txId) {
        var client = consortium.client("Org1MSP");
        var request = CommitStatusRequest.newBuilder().setChannelId(Consortium.CHANNEL).setTransactionId(txId)
                .setIdentity(client.serialized()).build().toByteString();
        return SignedCommitStatusRequest.newBuilder().setRequest(request)
                .setSignature(com.google.protobuf.ByteString.copyFrom(client.sign(request.toByteArray()))).build();
    }
}
