package io.gridledger.devnet.scc;

import com.google.protobuf.ByteString;
import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.blocks.BlockHashes;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.peer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Path;

import static io.gridledger.devnet.scc.SccFixtures.CHANNEL;
import static io.gridledger.devnet.scc.SccFixtures.invocation;
import static io.gridledger.devnet.scc.SccFixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** qscc on a ledger that holds its genesis block, asked by Org1's users through Org1's peer. */
class QsccTest {

    @TempDir
    static Path dir;
    static ChannelLedger ledger;
    static Qscc qscc;

    @BeforeAll
    static void open() {
        ledger = SccFixtures.genesisLedger(dir);
        qscc = new Qscc(ledger, SccFixtures.access("Org1MSP"));
    }

    @AfterAll
    static void close() throws IOException {
        ledger.close();
    }

    private static Response ask(String... args) {
        return qscc.invoke(invocation(CHANNEL, user("Org1MSP", "User1"), args));
    }

    @Test
    void answers_chain_info_with_the_height_and_the_hashes_of_the_last_block() throws Exception {
        var response = ask("GetChainInfo", CHANNEL);

        assertThat(response.getStatus()).isEqualTo(200);
        var genesis = ledger.blocks().block(0).orElseThrow();
        assertThat(BlockchainInfo.parseFrom(response.getPayload())).isEqualTo(BlockchainInfo.newBuilder().setHeight(1)
                .setCurrentBlockHash(ByteString.copyFrom(BlockHashes.headerHash(genesis.getHeader())))
                .setPreviousBlockHash(ByteString.EMPTY).build());
    }

    @Test
    void answers_a_block_number_in_decimal_and_go_s_max_uint64_with_the_last_block() throws Exception {
        var genesis = ledger.blocks().block(0).orElseThrow();

        assertThat(Block.parseFrom(ask("GetBlockByNumber", CHANNEL, "0").getPayload())).isEqualTo(genesis);
        assertThat(Block.parseFrom(ask("GetBlockByNumber", CHANNEL, "18446744073709551615").getPayload()))
                .isEqualTo(genesis);
    }

    @Test
    void reports_a_block_beyond_the_height_and_a_malformed_number_in_fabric_s_words() {
        assertThat(ask("GetBlockByNumber", CHANNEL, "1").getMessage())
                .isEqualTo("Failed to get block number 1, error Entry not found in index");
        assertThat(ask("GetBlockByNumber", CHANNEL, "-1").getMessage())
                .isEqualTo("Failed to parse block number with error strconv.ParseUint: parsing \"-1\": invalid syntax");
        assertThat(ask("GetBlockByHash", CHANNEL, "no such hash").getMessage())
                .isEqualTo("Failed to get block hash no such hash, error Entry not found in index");
        assertThat(ask("GetTransactionByID", CHANNEL, "feed").getMessage())
                .isEqualTo("Failed to get transaction with id feed, error Entry not found in index");
        assertThat(ask("GetBlockByTxID", CHANNEL, "feed").getMessage())
                .isEqualTo("Failed to get block for txID feed, error Entry not found in index");
    }

    @Test
    void checks_the_arguments_then_the_channel_then_access_as_fabric_does() {
        assertThat(ask("GetChainInfo")).satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(500);
            assertThat(r.getMessage()).isEqualTo("Incorrect number of arguments, 1");
        });
        assertThat(ask("GetBlockByNumber", "elsewhere").getMessage()).isEqualTo("missing 3rd argument for GetBlockByNumber");
        assertThat(ask("GetBlockByNumber", "elsewhere", "0").getMessage()).isEqualTo("Invalid chain ID, elsewhere");
        assertThat(ask("GetBlocks", CHANNEL, "0").getMessage())
                .isEqualTo("access denied for [GetBlocks][gridledger]: [Unmapped policy for qscc/GetBlocks]");
    }

    @Test
    void refuses_a_proposal_its_creator_did_not_sign_by_the_channel_readers_policy() {
        var forged = SccFixtures.forged(user("Org1MSP", "Admin"), user("Org1MSP", "User1"), "GetChainInfo", CHANNEL);

        assertThat(qscc.invoke(forged).getMessage()).isEqualTo("access denied for [GetChainInfo][gridledger]: "
                + "[Failed evaluating policy on signed data during check policy on channel [gridledger] with policy "
                + "[/Channel/Application/Readers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, "
                + "but this policy requires 1 of the 'Readers' sub-policies to be satisfied]]");
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "42, 42", "9223372036854775808, -9223372036854775808", "18446744073709551615, -1"})
    void parses_block_numbers_as_go_s_unsigned_64_bit_integers(String text, long bits) {
        assertThat(Qscc.parseUint64(text)).isEqualTo(bits);
    }

    @ParameterizedTest
    @CsvSource({"'', invalid syntax", "+1, invalid syntax", "0x10, invalid syntax", "' 1', invalid syntax",
            "18446744073709551616, value out of range"})
    void refuses_what_go_s_parse_uint_refuses_in_its_words(String text, String reason) {
        assertThatThrownBy(() -> Qscc.parseUint64(text))
                .hasMessage("strconv.ParseUint: parsing \"" + text + "\": " + reason);
    }
}
