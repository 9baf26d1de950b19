package io.gridledger.devnet.network;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.ledger.blocks.BlockHashes;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.msp.SigningIdentity;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.gateway.ProposedTransaction;
import org.hyperledger.fabric.protos.peer.ApplicationPolicy;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.hyperledger.fabric.protos.peer.lifecycle.CommitChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionResult;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsArgs;
import org.hyperledger.fabric.protos.peer.lifecycle.QueryChaincodeDefinitionsResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fabric's system chaincodes that clients query, on devnet, through the unmodified Fabric Gateway SDK
 * ({@code network.getContract("qscc")}) and, as the peer CLI sends them, through {@code Endorser.ProcessProposal}:
 * qscc answers agree with the blocks the peer delivers, cscc hands out the config block, _lifecycle the committed
 * definitions; failures reach the client with Fabric's messages.
 */
class DevnetSystemChaincodesIT {

    private static final String ORG1 = "Org1MSP";

    @TempDir
    static Path dataDir;
    static DevnetNetwork network;
    static ManagedChannel endorserChannel;
    static Network channel;
    static Contract qscc;
    static Contract cscc;
    static Contract lifecycle;
    static Contract gridledger;
    static Status deposit;

    @BeforeAll
    static void start() throws Exception {
        network = DevnetNetwork.start(dataDir);
        channel = network.connect(ORG1, "Admin").getNetwork(FabricNetwork.CHANNEL);
        qscc = channel.getContract("qscc");
        cscc = channel.getContract("cscc");
        lifecycle = channel.getContract("_lifecycle");
        gridledger = channel.getContract(FabricNetwork.CHAINCODE);
        Transactions.bootstrap(network, FabricNetwork.CHAINCODE);
        deposit = depositToUser1();
        endorserChannel = NettyChannelBuilder.forTarget(network.devnet().peerAddress(ORG1)).usePlaintext().build();
    }

    @AfterAll
    static void stop() {
        if (endorserChannel != null) {
            endorserChannel.shutdownNow();
        }
        network.close();
    }

    private static Status depositToUser1() throws Exception {
        return gridledger.newProposal("Deposit").addArguments(Transactions.account(ORG1, "User1"), "100")
                .build().endorse().submitAsync().getStatus();
    }

    /** Block {@code number} as the peer's Deliver service hands it to the SDK's block events. */
    private static Block delivered(long number) {
        try (var blocks = channel.newBlockEventsRequest().startBlock(number).build().getEvents()) {
            return blocks.next();
        }
    }

    private static BlockchainInfo chainInfo() throws Exception {
        return BlockchainInfo.parseFrom(qscc.evaluateTransaction("GetChainInfo", FabricNetwork.CHANNEL));
    }

    @Test
    void chain_info_names_the_height_and_the_hash_of_the_last_delivered_block_which_the_next_block_chains_to()
            throws Exception {
        var info = chainInfo();
        var last = delivered(info.getHeight() - 1);

        assertThat(info.getHeight()).isGreaterThan(deposit.getBlockNumber());
        assertThat(info.getPreviousBlockHash()).isEqualTo(last.getHeader().getPreviousHash());
        assertThat(info.getCurrentBlockHash().toByteArray()).isEqualTo(BlockHashes.headerHash(last.getHeader()));

        var next = depositToUser1();
        assertThat(delivered(next.getBlockNumber()).getHeader().getPreviousHash()).isEqualTo(info.getCurrentBlockHash());
        assertThat(chainInfo().getHeight()).isEqualTo(next.getBlockNumber() + 1);
    }

    @Test
    void a_block_by_number_or_by_hash_is_the_block_the_peer_delivers() throws Exception {
        for (long number : new long[] {0, deposit.getBlockNumber()}) {
            var block = delivered(number);
            var byNumber = qscc.evaluateTransaction("GetBlockByNumber", FabricNetwork.CHANNEL, Long.toString(number));
            var byHash = qscc.evaluateTransaction("GetBlockByHash", FabricNetwork.CHANNEL.getBytes(StandardCharsets.UTF_8),
                    BlockHashes.headerHash(block.getHeader()));

            assertThat(Block.parseFrom(byNumber)).isEqualTo(block);
            assertThat(Block.parseFrom(byHash)).isEqualTo(block);
        }
    }

    @Test
    void a_submitted_transaction_is_found_by_its_id_valid_with_its_envelope_and_in_its_block() throws Exception {
        var transaction = ProcessedTransaction.parseFrom(
                qscc.evaluateTransaction("GetTransactionByID", FabricNetwork.CHANNEL, deposit.getTransactionId()));
        var block = Block.parseFrom(
                qscc.evaluateTransaction("GetBlockByTxID", FabricNetwork.CHANNEL, deposit.getTransactionId()));

        assertThat(transaction.getValidationCode()).isEqualTo(TxValidationCode.VALID_VALUE);
        assertThat(txId(transaction.getTransactionEnvelope())).isEqualTo(deposit.getTransactionId());
        assertThat(block).isEqualTo(delivered(deposit.getBlockNumber()));
        assertThat(block.getData().getDataList()).contains(transaction.getTransactionEnvelope().toByteString());
    }

    @Test
    void what_the_ledger_does_not_hold_reaches_the_client_as_fabric_s_chaincode_error() throws Exception {
        long beyond = chainInfo().getHeight() + 100;

        assertThatThrownBy(() -> qscc.evaluateTransaction("GetTransactionByID", FabricNetwork.CHANNEL, "no-such-tx"))
                .isInstanceOf(GatewayException.class)
                .satisfies(e -> assertThat(((GatewayException) e).getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNKNOWN))
                .hasMessageContaining("evaluate call to endorser returned error: chaincode response 500, "
                        + "Failed to get transaction with id no-such-tx, error Entry not found in index");
        assertThatThrownBy(() -> qscc.evaluateTransaction("GetBlockByNumber", FabricNetwork.CHANNEL, Long.toString(beyond)))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("Failed to get block number " + beyond + ", error Entry not found in index");
        assertThatThrownBy(() -> qscc.evaluateTransaction("GetBlockByTxID", FabricNetwork.CHANNEL, "no-such-tx"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("Failed to get block for txID no-such-tx, error Entry not found in index");
    }

    @Test
    void another_channel_or_an_unknown_function_reaches_the_client_with_fabric_s_message() {
        assertThatThrownBy(() -> qscc.evaluateTransaction("GetChainInfo", "elsewhere"))
                .isInstanceOf(GatewayException.class).hasMessageContaining("Invalid chain ID, elsewhere");
        assertThatThrownBy(() -> qscc.evaluateTransaction("GetBlocks", FabricNetwork.CHANNEL, "0"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("access denied for [GetBlocks][gridledger]: [Unmapped policy for qscc/GetBlocks]");
        assertThatThrownBy(() -> cscc.evaluateTransaction("GetConfigTree", FabricNetwork.CHANNEL))
                .isInstanceOf(GatewayException.class).hasMessageContaining("Requested function GetConfigTree not found.");
        assertThatThrownBy(() -> cscc.evaluateTransaction("GetConfigBlock", "elsewhere"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("access denied for [GetConfigBlock][elsewhere]: "
                        + "Failed to get policy manager for channel [elsewhere]");
    }

    @Test
    void the_config_block_is_block_0_holding_the_channel_s_config_envelope() throws Exception {
        var block = Block.parseFrom(cscc.evaluateTransaction("GetConfigBlock", FabricNetwork.CHANNEL));

        assertThat(block).isEqualTo(delivered(0));
        var payload = Payload.parseFrom(Envelope.parseFrom(block.getData().getData(0)).getPayload());
        var header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        assertThat(header.getType()).isEqualTo(HeaderType.CONFIG_VALUE);
        assertThat(header.getChannelId()).isEqualTo(FabricNetwork.CHANNEL);
    }

    /** What {@code peer channel fetch config} + configtxlator, or an SDK reading cscc, shows a client. */
    @Test
    void the_channel_config_holds_the_orderer_settings_consensus_and_every_org_of_the_configtx_profile() throws Exception {
        var config = org.hyperledger.fabric.protos.common.Config.parseFrom(
                cscc.evaluateTransaction("GetChannelConfig", FabricNetwork.CHANNEL)).getChannelGroup();

        var orderer = config.getGroupsOrThrow("Orderer");
        assertThat(org.hyperledger.fabric.protos.orderer.BatchTimeout.parseFrom(
                orderer.getValuesOrThrow("BatchTimeout").getValue()).getTimeout()).isEqualTo("250ms");
        assertThat(org.hyperledger.fabric.protos.orderer.BatchSize.parseFrom(
                orderer.getValuesOrThrow("BatchSize").getValue()).getMaxMessageCount()).isEqualTo(100);
        assertThat(org.hyperledger.fabric.protos.orderer.ConsensusType.parseFrom(
                orderer.getValuesOrThrow("ConsensusType").getValue()).getType()).isEqualTo("etcdraft");
        assertThat(orderer.getPoliciesMap()).containsKeys("Readers", "Writers", "Admins", "BlockValidation");
        assertThat(orderer.getGroupsMap()).containsOnlyKeys("OrdererOrg");
        assertThat(config.getGroupsOrThrow("Application").getGroupsMap()).containsOnlyKeys("Org1", "Org2", "Org3");
        assertThat(config.getValuesMap()).containsKeys("HashingAlgorithm", "BlockDataHashingStructure", "Capabilities");
    }

    @Test
    void lifecycle_lists_the_committed_definition_with_its_channel_policy_reference_approved_by_every_member()
            throws Exception {
        var definitions = QueryChaincodeDefinitionsResult.parseFrom(lifecycle.evaluateTransaction(
                "QueryChaincodeDefinitions", QueryChaincodeDefinitionsArgs.getDefaultInstance().toByteArray()))
                .getChaincodeDefinitionsList();
        var gridledgerDefinition = QueryChaincodeDefinitionResult.parseFrom(lifecycle.evaluateTransaction(
                "QueryChaincodeDefinition",
                QueryChaincodeDefinitionArgs.newBuilder().setName(FabricNetwork.CHAINCODE).build().toByteArray()));

        assertThat(definitions).singleElement().satisfies(definition -> {
            assertThat(definition.getName()).isEqualTo(FabricNetwork.CHAINCODE);
            assertThat(definition.getSequence()).isEqualTo(1);
            assertThat(definition.getVersion()).isEqualTo("1.0");
            assertThat(ApplicationPolicy.parseFrom(definition.getValidationParameter()).getChannelConfigPolicyReference())
                    .isEqualTo("/Channel/Application/Endorsement");
        });
        assertThat(gridledgerDefinition.getApprovalsMap())
                .isEqualTo(Map.of("Org1MSP", true, "Org2MSP", true, "Org3MSP", true));
        assertThatThrownBy(() -> lifecycle.evaluateTransaction("QueryChaincodeDefinition",
                QueryChaincodeDefinitionArgs.newBuilder().setName("nope").build().toByteArray()))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("chaincode response 404, namespace nope is not defined");
    }

    @Test
    void lifecycle_refuses_to_commit_a_definition_because_devnet_s_definitions_are_fixed() {
        var commit = CommitChaincodeDefinitionArgs.newBuilder().setName("other").setVersion("1").setSequence(1).build();

        assertThatThrownBy(() -> lifecycle.submitTransaction("CommitChaincodeDefinition", commit.toByteArray()))
                .isInstanceOf(EndorseException.class)
                .satisfies(e -> assertThat(((EndorseException) e).getDetails()).singleElement()
                        .satisfies(detail -> assertThat(detail.getMessage()).contains(
                                "failed to invoke backing implementation of 'CommitChaincodeDefinition': "
                                        + "devnet's _lifecycle is read-only")));
    }

    @Test
    void process_proposal_endorses_a_qscc_answer_with_an_empty_read_write_set_as_the_system_chaincode() throws Exception {
        var unsigned = ProposedTransaction.parseFrom(
                qscc.newProposal("GetChainInfo").addArguments(FabricNetwork.CHANNEL).build().getBytes()).getProposal();
        var proposal = unsigned.toBuilder().setSignature(sign(unsigned.getProposalBytes())).build();

        var response = endorser().processProposal(proposal);

        assertThat(response.getResponse().getStatus()).isEqualTo(200);
        assertThat(response.hasEndorsement()).isTrue();
        var action = ChaincodeAction.parseFrom(ProposalResponsePayload.parseFrom(response.getPayload()).getExtension());
        assertThat(action.getChaincodeId()).isEqualTo(ChaincodeID.newBuilder().setName("qscc").setVersion("syscc").build());
        assertThat(action.getResults()).isEmpty();
        assertThat(BlockchainInfo.parseFrom(action.getResponse().getPayload()).getHeight()).isPositive();
    }

    @Test
    void process_proposal_answers_a_channel_less_get_chain_info_as_the_peer_cli_sends_it_unendorsed() throws Exception {
        var response = endorser().processProposal(channelless("qscc", "GetChainInfo", FabricNetwork.CHANNEL));
        var otherChaincode = endorser().processProposal(channelless(FabricNetwork.CHAINCODE, "GetParameters"));

        assertThat(response.getResponse().getStatus()).isEqualTo(200);
        assertThat(BlockchainInfo.parseFrom(response.getResponse().getPayload()).getHeight()).isPositive();
        assertThat(response.hasEndorsement()).isFalse();
        assertThat(response.getPayload()).isEmpty();
        assertThat(otherChaincode.getResponse().getStatus()).isEqualTo(500);
        assertThat(otherChaincode.getResponse().getMessage()).isEqualTo("make sure the chaincode gridledger has been "
                + "successfully defined on channel  and try again: chaincode gridledger not found");
    }

    private static EndorserGrpc.EndorserBlockingStub endorser() {
        return EndorserGrpc.newBlockingStub(endorserChannel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** Org1's admin, who also signs the Gateway SDK's requests here. */
    private static SigningIdentity admin() {
        return network.devnet().crypto().userIdentity(ORG1, "Admin");
    }

    private static ByteString sign(ByteString message) {
        return ByteString.copyFrom(admin().sign(message.toByteArray()));
    }

    /** A proposal with no channel, built as the peer CLI's {@code peer channel getinfo} builds it. */
    private static SignedProposal channelless(String chaincode, String... args) throws Exception {
        var nonce = new byte[24];
        new SecureRandom().nextBytes(nonce);
        var creator = admin().serialized();
        var txId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(
                ByteString.copyFrom(nonce).concat(creator).toByteArray()));
        var id = ChaincodeID.newBuilder().setName(chaincode);
        var channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE).setChannelId("")
                .setTxId(txId).setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(id).build().toByteString());
        var header = Header.newBuilder().setChannelHeader(channelHeader.build().toByteString())
                .setSignatureHeader(SignatureHeader.newBuilder().setCreator(creator).setNonce(ByteString.copyFrom(nonce))
                        .build().toByteString());
        var input = ChaincodeInput.newBuilder();
        for (var arg : args) {
            input.addArgs(ByteString.copyFromUtf8(arg));
        }
        var spec = ChaincodeInvocationSpec.newBuilder().setChaincodeSpec(ChaincodeSpec.newBuilder()
                .setType(ChaincodeSpec.Type.GOLANG).setChaincodeId(id).setInput(input));
        var proposal = Proposal.newBuilder().setHeader(header.build().toByteString()).setPayload(
                ChaincodeProposalPayload.newBuilder().setInput(spec.build().toByteString()).build().toByteString());
        var bytes = proposal.build().toByteString();
        return SignedProposal.newBuilder().setProposalBytes(bytes).setSignature(sign(bytes)).build();
    }

    private static String txId(Envelope envelope) {
        return Envelopes.txId(envelope.toByteString()).orElseThrow();
    }
}
