package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signer;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.gateway.PreparedTransaction;
import org.hyperledger.fabric.protos.gateway.ProposedTransaction;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.AtomicBroadcastGrpc;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.hyperledger.fabric.protos.orderer.SeekSpecified;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * devnet's services for clients that do the gateway's work themselves, as Fabric's {@code peer} CLI does: a peer's
 * {@code Endorser.ProcessProposal}, and the orderer's {@code AtomicBroadcast} (Broadcast and Deliver). Proposals and
 * transactions are built and signed by the Fabric Gateway SDK; these tests carry them by hand.
 */
class DevnetEndorserAndOrdererIT {

    @TempDir
    static Path dataDir;
    static DevnetNetwork network;
    static final List<ManagedChannel> channels = new ArrayList<>();
    static Contract admin2;
    static Signer admin2Signer;
    static ByteString admin2Creator;

    @BeforeAll
    static void start() throws Exception {
        network = DevnetNetwork.start(dataDir);
        var gateway = network.connect("Org2MSP", "Admin");
        admin2 = gateway.getNetwork(FabricNetwork.CHANNEL).getContract(FabricNetwork.CHAINCODE);
        Transactions.bootstrap(network, FabricNetwork.CHAINCODE);
        try (var key = Files.newBufferedReader(network.userPrivateKey("Org2MSP", "Admin"))) {
            admin2Signer = Signers.newPrivateKeySigner(Identities.readPrivateKey(key));
        }
        admin2Creator = SerializedIdentity.newBuilder().setMspid("Org2MSP")
                .setIdBytes(ByteString.copyFrom(Files.readAllBytes(network.userCertificate("Org2MSP", "Admin")))).build()
                .toByteString();
    }

    @AfterAll
    static void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        network.close();
    }

    static ManagedChannel channel(String address) {
        var channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    static SignedProposal deposit(String account, String amount) throws Exception {
        // The SDK signs when it sends; a proposal taken out unsent is signed here, as an offline signer would.
        var proposal = admin2.newProposal("Deposit").addArguments(account, amount).build();
        var unsigned = ProposedTransaction.parseFrom(proposal.getBytes()).getProposal();
        return unsigned.toBuilder().setSignature(sign(unsigned.getProposalBytes())).build();
    }

    @Test
    void every_peer_endorses_a_proposal_with_its_own_signature_over_the_response() throws Exception {
        var proposal = deposit(Transactions.account("Org2MSP", "node1"), "10");
        for (var org : List.of("Org1MSP", "Org2MSP", "Org3MSP")) {
            var response = EndorserGrpc.newBlockingStub(channel(network.devnet().peerAddress(org)))
                    .withDeadlineAfter(30, TimeUnit.SECONDS).processProposal(proposal);

            assertThat(response.getResponse().getStatus()).isEqualTo(200);
            var endorser = SerializedIdentity.parseFrom(response.getEndorsement().getEndorser());
            assertThat(endorser.getMspid()).isEqualTo(org);
            var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(endorser.getIdBytes().toByteArray()));
            var verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate);
            verifier.update(response.getPayload().concat(response.getEndorsement().getEndorser()).toByteArray());
            assertThat(verifier.verify(response.getEndorsement().getSignature().toByteArray())).isTrue();
        }
    }

    @Test
    void a_refused_proposal_is_a_500_response_with_the_reason_and_no_endorsement() throws Exception {
        var proposal = deposit(Transactions.account("Org1MSP", "User1"), "10"); // Org2's admin, Org1's account
        var response = EndorserGrpc.newBlockingStub(channel(network.devnet().peerAddress("Org1MSP")))
                .withDeadlineAfter(30, TimeUnit.SECONDS).processProposal(proposal);

        assertThat(response.getResponse().getStatus()).isEqualTo(500);
        assertThat(response.getResponse().getMessage()).contains("FORBIDDEN");
        assertThat(response.hasEndorsement()).isFalse();
    }

    @Test
    void a_transaction_broadcast_to_the_orderer_commits_and_its_block_is_delivered_by_the_orderer() throws Exception {
        var transaction = admin2.newProposal("Deposit").addArguments(Transactions.account("Org2MSP", "node1"), "25")
                .build().endorse();
        var prepared = PreparedTransaction.parseFrom(transaction.getBytes());
        var envelope = prepared.getEnvelope().toBuilder().setSignature(sign(prepared.getEnvelope().getPayload())).build();
        long height = network.devnet().ledger().height();
        var orderer = channel(network.devnet().ordererAddress());

        var responses = broadcast(orderer, envelope);

        assertThat(responses).singleElement().extracting(BroadcastResponse::getStatus).isEqualTo(Status.SUCCESS);
        var block = findBlock(orderer, height, prepared.getTransactionId());
        var codes = block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE);
        int index = indexOf(block, prepared.getTransactionId());
        assertThat(TxValidationCode.forNumber(codes.byteAt(index))).isEqualTo(TxValidationCode.VALID);
    }

    @Test
    void the_orderer_refuses_an_envelope_whose_signature_does_not_verify_under_the_writers_policy() throws Exception {
        var transaction = admin2.newProposal("Deposit").addArguments(Transactions.account("Org2MSP", "node1"), "1")
                .build().endorse();
        var envelope = PreparedTransaction.parseFrom(transaction.getBytes()).getEnvelope();
        var tampered = envelope.toBuilder().setSignature(ByteString.copyFrom(new byte[] {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01})).build();

        var responses = broadcast(channel(network.devnet().ordererAddress()), tampered);

        assertThat(responses).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(Status.FORBIDDEN);
            // orderer/common/msgprocessor/sigfilter.go: the signer satisfies none of /Channel/Writers' sub-policies
            assertThat(r.getInfo()).isEqualTo("implicit policy evaluation failed - 0 sub-policies were satisfied, but "
                    + "this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied");
        });
    }

    @Test
    void the_orderer_answers_a_seek_on_another_channel_with_not_found() throws Exception {
        var responses = deliver(channel(network.devnet().ordererAddress()), seek("elsewhere", 0, 0));
        assertThat(responses).singleElement().extracting(DeliverResponse::getStatus).isEqualTo(Status.NOT_FOUND);
    }

    private static List<BroadcastResponse> broadcast(ManagedChannel orderer, Envelope envelope) {
        var received = new CopyOnWriteArrayList<BroadcastResponse>();
        var done = new CompletableFuture<Void>();
        var requests = AtomicBroadcastGrpc.newStub(orderer).withDeadlineAfter(30, TimeUnit.SECONDS)
                .broadcast(collector(received, done, response -> false));
        requests.onNext(envelope);
        requests.onCompleted();
        done.join();
        return received;
    }

    /** Blocks from {@code start} on, until the one holding {@code txId}. */
    private static Block findBlock(ManagedChannel orderer, long start, String txId) throws Exception {
        for (long number = start; ; number++) {
            var responses = deliver(orderer, seek(FabricNetwork.CHANNEL, number, number));
            assertThat(responses).hasSize(2).last().extracting(DeliverResponse::getStatus).isEqualTo(Status.SUCCESS);
            var block = responses.get(0).getBlock();
            if (indexOf(block, txId) >= 0) {
                return block;
            }
        }
    }

    private static List<DeliverResponse> deliver(ManagedChannel orderer, Envelope seek) {
        var received = new CopyOnWriteArrayList<DeliverResponse>();
        var done = new CompletableFuture<Void>();
        // A seek with a last block ends with a status; the stream itself stays open for more seeks.
        var requests = AtomicBroadcastGrpc.newStub(orderer).withDeadlineAfter(30, TimeUnit.SECONDS)
                .deliver(collector(received, done, DeliverResponse::hasStatus));
        requests.onNext(seek);
        done.join();
        requests.onCompleted();
        return received;
    }

    private static int indexOf(Block block, String txId) {
        for (int i = 0; i < block.getData().getDataCount(); i++) {
            if (Envelopes.txId(block.getData().getData(i)).filter(txId::equals).isPresent()) {
                return i;
            }
        }
        return -1;
    }

    /** A seek from block {@code from} to {@code to} on {@code channel}, signed by Org2's admin (blocking until ready). */
    private static Envelope seek(String channel, long from, long to) throws Exception {
        var nonce = new byte[24];
        new SecureRandom().nextBytes(nonce);
        var header = Header.newBuilder()
                .setChannelHeader(ChannelHeader.newBuilder().setType(HeaderType.DELIVER_SEEK_INFO_VALUE)
                        .setChannelId(channel).build().toByteString())
                .setSignatureHeader(SignatureHeader.newBuilder().setCreator(admin2Creator)
                        .setNonce(ByteString.copyFrom(nonce)).build().toByteString());
        var seekInfo = SeekInfo.newBuilder()
                .setStart(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(from)))
                .setStop(SeekPosition.newBuilder().setSpecified(SeekSpecified.newBuilder().setNumber(to)))
                .setBehavior(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
        var payload = Payload.newBuilder().setHeader(header).setData(seekInfo.build().toByteString()).build().toByteString();
        return Envelope.newBuilder().setPayload(payload).setSignature(sign(payload)).build();
    }

    /** Org2's admin's signature over {@code message}: the SDK's signers sign a SHA-256 digest. */
    private static ByteString sign(ByteString message) throws Exception {
        var digest = MessageDigest.getInstance("SHA-256").digest(message.toByteArray());
        return ByteString.copyFrom(admin2Signer.sign(digest));
    }

    /** Collects a stream's responses into {@code received}; {@code done} when it ends or a {@code last} one arrives. */
    private static <T> StreamObserver<T> collector(List<T> received, CompletableFuture<Void> done, Predicate<T> last) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                received.add(value);
                if (last.test(value)) {
                    done.complete(null);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        };
    }
}
