package io.gridledger.devnet.scc;

import io.gridledger.devnet.ledger.ChannelLedger;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.peer.ChannelQueryResponse;
import org.hyperledger.fabric.protos.peer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.gridledger.devnet.scc.SccFixtures.CHANNEL;
import static io.gridledger.devnet.scc.SccFixtures.invocation;
import static io.gridledger.devnet.scc.SccFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

/** cscc on a ledger that holds its genesis block, asked through Org1's peer. */
class CsccTest {

    @TempDir
    static Path dir;
    static ChannelLedger ledger;
    static Cscc cscc;

    @BeforeAll
    static void open() {
        ledger = SccFixtures.genesisLedger(dir);
        cscc = new Cscc(ledger, SccFixtures.access("Org1MSP"));
    }

    @AfterAll
    static void close() throws IOException {
        ledger.close();
    }

    private static Response ask(String mspId, String... args) {
        return cscc.invoke(invocation(CHANNEL, user(mspId, "User1"), args));
    }

    @Test
    void answers_the_config_block_and_the_config_it_holds() throws Exception {
        var configBlock = ask("Org2MSP", "GetConfigBlock", CHANNEL);
        var config = ask("Org2MSP", "GetChannelConfig", CHANNEL);

        assertThat(Block.parseFrom(configBlock.getPayload())).isEqualTo(ledger.blocks().block(0).orElseThrow());
        assertThat(Config.parseFrom(config.getPayload())).isEqualTo(SccFixtures.genesisConfig());
    }

    @Test
    void lists_the_peer_s_one_channel_to_its_own_org_only() throws Exception {
        var own = ask("Org1MSP", "GetChannels");
        var other = ask("Org2MSP", "GetChannels");

        assertThat(ChannelQueryResponse.parseFrom(own.getPayload()).getChannelsList())
                .singleElement().satisfies(channel -> assertThat(channel.getChannelId()).isEqualTo(CHANNEL));
        assertThat(other.getMessage()).isEqualTo("access denied for [GetChannels]: Failed deserializing proposal "
                + "creator during channelless check policy with policy [Members]: [expected MSP ID Org1MSP, received Org2MSP]");
    }

    @Test
    void refuses_another_channel_as_fabric_s_acl_does_and_an_empty_one_as_fabric_does() {
        assertThat(ask("Org1MSP", "GetConfigBlock", "elsewhere").getMessage())
                .isEqualTo("access denied for [GetConfigBlock][elsewhere]: Failed to get policy manager for channel [elsewhere]");
        assertThat(ask("Org1MSP", "GetChannelConfig", "").getMessage()).isEqualTo("empty channel name provided");
    }

    @Test
    void answers_missing_arguments_unknown_functions_and_joins_with_a_reason() {
        assertThat(ask("Org1MSP", "GetConfigBlock").getMessage()).isEqualTo("Incorrect number of arguments, 1");
        assertThat(ask("Org1MSP", "GetConfigTree", CHANNEL).getMessage()).isEqualTo("Requested function GetConfigTree not found.");
        assertThat(ask("Org1MSP", "JoinChain", "block").getMessage())
                .isEqualTo("devnet does not support JoinChain: its peers are on channel gridledger from the start");
    }
}
