package io.gridledger.devnet.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.SubmittedTransaction;
import org.hyperledger.fabric.client.Transaction;
import org.hyperledger.fabric.client.identity.Identities;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import static io.gridledger.devnet.network.Transactions.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What GridLedger needs of a Fabric network, checked through the unmodified Fabric Gateway Java SDK and the
 * unmodified chaincode: the same tests run against the devnet ({@link DevnetGatewayIT}) and against a real
 * Fabric 2.5 network started by {@code network.sh} ({@link FabricNetworkIT}).
 *
 * <p>The tests share one network and may run against one that outlives them, so each names its assets with
 * this run's {@link #RUN} suffix, keeps its offers and jobs apart with labels, and asserts balance changes,
 * not balances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class GatewayContract {

    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String ORG1 = "Org1MSP";
    static final String ORG2 = "Org2MSP";
    static final String ORG3 = "Org3MSP";
    /** {@code commitGraceSeconds} of {@link Transactions#params()}. */
    static final long COMMIT_GRACE = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    protected FabricNetwork network;
    private final Map<String, Party> parties = new ConcurrentHashMap<>();
    /** Every chaincode function these tests called through the gateway, for the coverage check. */
    private final Set<String> called = ConcurrentHashMap.newKeySet();

    /** Starts (or reaches) the network under test, with the GridLedger chaincode deployed. */
    protected abstract FabricNetwork startNetwork();

    @BeforeAll
    void start() {
        network = startNetwork();
        try {
            party(ORG1, "Admin").evaluate("GetParameters");
        } catch (IllegalStateException e) {
            assertThat(e).hasMessageContaining("NOT_INITIALIZED");
            bootstrap();
        }
    }

    /**
     * Starts the consortium as its members must: no admin can do it alone. Org1's admin approving parameters that list
     * only Org1 finds no other org's peer to endorse it (each org's chaincode refuses to vouch for a bootstrap its org
     * did not approve), and endorsed by Org1's peer alone it is invalid under the channel's majority policy; then the
     * admins of Org1 and Org2 approve the real parameters, the second approval endorsed by their two orgs' peers.
     */
    private void bootstrap() {
        var admin1 = party(ORG1, "Admin");
        var alone = Transactions.with(Transactions.params(), "members", List.of(ORG1));
        assertThatThrownBy(() -> admin1.endorse("InitLedger", alone)).isInstanceOfSatisfying(EndorseException.class,
                e -> assertThat(e.getDetails()).anySatisfy(detail -> assertThat(detail.getMessage())
                        .contains("FORBIDDEN").contains("has not approved these genesis parameters")));
        var byItself = admin1.status(admin1.proposalBuilder("InitLedger", alone).setEndorsingOrganizations(ORG1));
        assertThat(byItself.getCode()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThatThrownBy(() -> admin1.evaluate("GetParameters")).hasMessageContaining("NOT_INITIALIZED");

        var first = admin1.status(admin1.proposalBuilder("InitLedger", Transactions.params()).setEndorsingOrganizations(ORG1, ORG2));
        assertThat(first.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThatThrownBy(() -> admin1.evaluate("GetParameters")).hasMessageContaining("NOT_INITIALIZED");
        var admin2 = party(ORG2, "Admin");
        var second = admin2.status(admin2.proposalBuilder("InitLedger", Transactions.params()).setEndorsingOrganizations(ORG1, ORG2));
        assertThat(second.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(admin1.evaluate("GetParameters").get("version").asLong()).isEqualTo(1);
    }

    @AfterAll
    void stop() {
        if (network != null) {
            network.close();
        }
    }

    /** The user {@code user} of org {@code mspId}, connected to its own org's peer. */
    protected Party party(String mspId, String user) {
        return parties.computeIfAbsent(mspId + "/" + user, key -> new Party(mspId, user, network.connect(mspId, user).getNetwork(FabricNetwork.CHANNEL)));
    }

    @Test
    void evaluates_a_query_through_the_fabric_gateway_sdk() {
        var parameters = party(ORG1, "User1").evaluate("GetParameters");
        assertThat(parameters.get("members")).extracting(JsonNode::asText).contains(ORG1, ORG2, ORG3);
    }

    @Test
    void a_submitted_transaction_commits_valid_and_its_event_is_delivered() throws Exception {
        var admin = party(ORG2, "Admin");
        var commit = admin.endorse("Deposit", account(ORG2, "node1"), "5000").submitAsync();
        var status = commit.getStatus();
        assertThat(status.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(status.isSuccessful()).isTrue();
        try (var events = admin.network.newChaincodeEventsRequest(FabricNetwork.CHAINCODE)
                .startBlock(status.getBlockNumber()).build().getEvents()) {
            var event = events.next();
            assertThat(event.getTransactionId()).isEqualTo(commit.getTransactionId());
            assertThat(event.getEventName()).isEqualTo("Deposited");
            assertThat(event.getBlockNumber()).isEqualTo(status.getBlockNumber());
        }
    }

    @Test
    void chaincode_refusals_reach_the_client_with_their_code() {
        var user = party(ORG1, "User1");
        assertThatThrownBy(() -> user.contract.submitTransaction("Deposit", account(ORG1, "User1"), "10"))
                .isInstanceOf(EndorseException.class)
                .satisfies(e -> assertThat(((EndorseException) e).getDetails()).isNotEmpty().allSatisfy(detail -> {
                    assertThat(detail.getMessage()).contains("FORBIDDEN");
                    assertThat(detail.getMspId()).isIn(ORG1, ORG2, ORG3);
                    assertThat(detail.getAddress()).matches(".+:[1-9][0-9]*");
                }));
    }

    @Test
    void of_two_conflicting_transactions_in_one_block_one_is_valid_and_one_is_an_mvcc_read_conflict() throws Exception {
        var provider = party(ORG3, "node1");
        fund(provider, 5_000);
        var offerId = "offer-mvcc-" + RUN;
        provider.submit("PublishOffer", Transactions.offer(offerId, 10, 2, pool("mvcc")));
        var first = provider.endorse("UpdateOffer", Transactions.offer(offerId, 11, 2, pool("mvcc")));
        var second = provider.endorse("UpdateOffer", Transactions.offer(offerId, 12, 2, pool("mvcc")));
        // Both were endorsed against the same version of the offer; submitted together, they share a block.
        var pending = CompletableFuture.supplyAsync(() -> submit(second));
        var a = first.submitAsync().getStatus();
        var b = pending.join().getStatus();
        assertThat(a.getBlockNumber()).isEqualTo(b.getBlockNumber());
        assertThat(List.of(a.getCode(), b.getCode()))
                .containsExactlyInAnyOrder(TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT);
        long winner = a.getCode() == TxValidationCode.VALID ? 11 : 12;
        assertThat(provider.evaluate("GetOffer", offerId).get("unitPrice").asLong()).isEqualTo(winner);
    }

    @Test
    void a_proposal_signed_with_a_key_that_does_not_match_the_certificate_is_refused() throws Exception {
        var forged = claimant(ORG1, ORG1, "User1", ORG2);
        assertThatThrownBy(() -> forged.evaluateTransaction("WhoAmI"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("access denied: channel [gridledger] creator org [Org1MSP]");
        assertThatThrownBy(() -> forged.submitTransaction("Transfer", account(ORG2, "User1"), "1"))
                .isInstanceOf(EndorseException.class);
    }

    /**
     * Fabric's MSP builds a certificate's chain to the claimed org's CAs while deserializing it, so a certificate of
     * another org's CA is refused as unreadable, like one of an org the channel does not have, naming no org.
     */
    @Test
    void an_identity_claiming_an_org_whose_ca_did_not_issue_it_or_an_unknown_org_is_refused_as_malformed() throws Exception {
        // core/endorser/msgvalidation.go, wrapped by endorser.go's preProcess; internal/pkg/gateway/apiutils.go's
        // responseStatus makes it a client error, which neither Evaluate nor Endorse retries on another peer.
        var malformed = "error validating proposal: access denied: channel [gridledger] creator org unknown, "
                + "creator is malformed";
        var impostor = claimant(ORG1, ORG2, "User1", ORG2);
        assertThatThrownBy(() -> impostor.evaluateTransaction("WhoAmI")).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription()).isEqualTo("evaluate call to endorser returned error: " + malformed);
        });
        assertThatThrownBy(() -> impostor.submitTransaction("Transfer", account(ORG2, "User1"), "1"))
                .isInstanceOfSatisfying(EndorseException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.ABORTED);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("failed to endorse transaction, see attached details for more info");
                    assertThat(e.getDetails()).isNotEmpty().allSatisfy(detail -> assertThat(detail.getMessage()).isEqualTo(malformed));
                });
        var stranger = claimant("Org9MSP", ORG2, "User1", ORG2);
        assertThatThrownBy(() -> stranger.evaluateTransaction("WhoAmI"))
                .isInstanceOf(GatewayException.class)
                .hasMessageContaining("access denied: channel [gridledger] creator org unknown, creator is malformed");
    }

    // --- refusals a client meets, in Fabric v2.5's words (the source each comes from is named) --------------------

    /** {@code Failed evaluating policy…} of core/policy/policy.go over common/policies/implicitmeta.go's reason. */
    private static String readersRefusal() {
        return "Failed evaluating policy on signed data during check policy on channel [gridledger] with policy "
                + "[/Channel/Application/Readers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, "
                + "but this policy requires 1 of the 'Readers' sub-policies to be satisfied]";
    }

    /** The gateway's ChaincodeEvents and CommitStatus check the ACLs gateway/* (default: the channel's Readers). */
    @Test
    void chaincode_events_and_commit_statuses_are_refused_to_a_client_the_channels_readers_policy_does_not_admit()
            throws Exception {
        var stranger = claimantGateway("Org9MSP", ORG2, "User1", ORG2);
        assertThatThrownBy(() -> {
            try (var events = stranger.getNetwork(FabricNetwork.CHANNEL).getChaincodeEvents(FabricNetwork.CHAINCODE)) {
                events.hasNext();
            }
        }).isInstanceOfSatisfying(GatewayRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).isEqualTo(readersRefusal());
        });
        assertThatThrownBy(() -> FabricNetwork.commitOf(stranger, FabricNetwork.CHANNEL, Transactions.salt("no such transaction")).getStatus())
                .isInstanceOfSatisfying(CommitStatusException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo(readersRefusal());
                });
    }

    /** common/deliver/deliver.go answers a client its session access control refuses with status FORBIDDEN. */
    @Test
    void block_events_are_refused_to_a_client_the_channels_readers_policy_does_not_admit() throws Exception {
        var stranger = claimantGateway("Org9MSP", ORG2, "User1", ORG2);
        assertThatThrownBy(() -> {
            try (var blocks = stranger.getNetwork(FabricNetwork.CHANNEL).newBlockEventsRequest().startBlock(0).build()
                    .getEvents()) {
                blocks.next();
            }
        }).isInstanceOf(java.util.NoSuchElementException.class).hasMessage("Unexpected status response: FORBIDDEN");
    }

    /**
     * orderer/common/msgprocessor/sigfilter.go: an envelope whose signature does not verify satisfies none of the
     * channel's Writers sub-policies; the orderer answers FORBIDDEN and the gateway does not retry a client error.
     */
    @Test
    void the_orderer_refuses_a_transaction_signed_by_a_key_that_is_not_its_creators_under_the_writers_policy()
            throws Exception {
        var endorsed = party(ORG1, "Admin").endorse("Deposit", account(ORG1, "User1"), "1");
        var forger = claimantGateway(ORG1, ORG1, "Admin", ORG2);
        var resigned = forger.newTransaction(endorsed.getBytes());
        assertThatThrownBy(resigned::submitAsync).isInstanceOfSatisfying(SubmitException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.ABORTED);
            assertThat(e.getStatus().getDescription()).isEqualTo("received unsuccessful response from orderer: "
                    + "status=FORBIDDEN, info=implicit policy evaluation failed - 0 sub-policies were satisfied, but this "
                    + "policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied");
        });
    }

    /** internal/pkg/gateway/registry.go: no peer has the chaincode, and the error carries no details. */
    @Test
    void evaluating_a_chaincode_not_defined_on_the_channel_is_a_failed_precondition_without_details() {
        var contract = party(ORG1, "User1").network.getContract("nosuchchaincode");
        assertThatThrownBy(() -> contract.evaluateTransaction("Anything")).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
            assertThat(e.getStatus().getDescription())
                    .isEqualTo("no peers available to evaluate chaincode nosuchchaincode in channel gridledger");
            assertThat(e.getDetails()).isEmpty();
        });
    }

    /**
     * internal/pkg/gateway/endorse.go: with no endorsing orgs named, the gateway plans from its org's peers that have the
     * chaincode (registry.planForOrgs), then from discovery (registry.endorsementPlan), which finds no metadata for a
     * chaincode not defined on the channel, nor for any on a channel the peer has not joined
     * (discovery/endorsement/endorsement.go): FAILED_PRECONDITION without details. With endorsing orgs named, none of
     * them has an endorser for it: UNAVAILABLE.
     */
    @Test
    void submitting_to_a_chaincode_not_defined_or_on_a_channel_that_does_not_exist_is_refused_from_discovery() {
        var gateway = network.connect(ORG1, "User1");
        for (var target : List.of(List.of(FabricNetwork.CHANNEL, "nosuchchaincode"), List.of("nosuchchannel", FabricNetwork.CHAINCODE))) {
            var contract = gateway.getNetwork(target.get(0)).getContract(target.get(1));
            assertThatThrownBy(() -> contract.newProposal("Anything").build().endorse())
                    .isInstanceOfSatisfying(EndorseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).isEqualTo("no combination of peers can be derived which "
                                + "satisfy the endorsement policy: No metadata was found for chaincode " + target.get(1)
                                + " in channel " + target.get(0));
                        assertThat(e.getDetails()).isEmpty();
                    });
            assertThatThrownBy(() -> contract.newProposal("Anything").setEndorsingOrganizations(ORG1, ORG2).build().endorse())
                    .isInstanceOfSatisfying(EndorseException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                        // in the request's order, which the SDK keeps in a set
                        assertThat(e.getStatus().getDescription()).isIn(
                                "failed to find any endorsing peers for org(s): " + ORG1 + ", " + ORG2,
                                "failed to find any endorsing peers for org(s): " + ORG2 + ", " + ORG1);
                    });
        }
    }

    /**
     * A channel the peer has not joined: the gateway's discovery has no config for it (registry.go), the Deliver
     * service no chain (common/deliver/deliver.go: NOT_FOUND), and the ACL checks of ChaincodeEvents and CommitStatus
     * no policy manager (core/policy/policy.go).
     */
    @Test
    void a_channel_that_does_not_exist_is_refused_in_fabrics_words() {
        var gateway = network.connect(ORG1, "User1");
        var elsewhere = gateway.getNetwork("nosuchchannel");
        assertThatThrownBy(() -> elsewhere.getContract(FabricNetwork.CHAINCODE).evaluateTransaction("GetParameters"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo(
                            "failed to get config for channel [nosuchchannel]: could not get last config for channel nosuchchannel");
                });
        assertThatThrownBy(() -> {
            try (var events = elsewhere.getChaincodeEvents(FabricNetwork.CHAINCODE)) {
                events.hasNext();
            }
        }).isInstanceOfSatisfying(GatewayRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
            assertThat(e.getStatus().getDescription()).isEqualTo("Failed to get policy manager for channel [nosuchchannel]");
        });
        assertThatThrownBy(() -> {
            try (var blocks = elsewhere.newBlockEventsRequest().startBlock(0).build().getEvents()) {
                blocks.next();
            }
        }).isInstanceOf(java.util.NoSuchElementException.class).hasMessage("Unexpected status response: NOT_FOUND");
        assertThatThrownBy(() -> FabricNetwork.commitOf(gateway, "nosuchchannel", Transactions.salt("none")).getStatus())
                .isInstanceOfSatisfying(CommitStatusException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("Failed to get policy manager for channel [nosuchchannel]");
                });
    }

    /**
     * A contract reached through Org1's peer as a client that claims MSP {@code claimedMsp}, presents the
     * certificate of {@code certificateOrg}'s {@code user} and signs with the key of {@code keyOrg}'s same user.
     */
    private Contract claimant(String claimedMsp, String certificateOrg, String user, String keyOrg) throws Exception {
        return claimantGateway(claimedMsp, certificateOrg, user, keyOrg)
                .getNetwork(FabricNetwork.CHANNEL).getContract(FabricNetwork.CHAINCODE);
    }

    /** The gateway connection of {@link #claimant}. */
    private org.hyperledger.fabric.client.Gateway claimantGateway(String claimedMsp, String certificateOrg, String user,
                                                                  String keyOrg) throws Exception {
        try (var certificate = Files.newBufferedReader(network.userCertificate(certificateOrg, user));
             var key = Files.newBufferedReader(network.userPrivateKey(keyOrg, user))) {
            var identity = new X509Identity(claimedMsp, Identities.readX509Certificate(certificate));
            return network.connect(ORG1, identity, Signers.newPrivateKeySigner(Identities.readPrivateKey(key)));
        }
    }

    /**
     * The job's keys carry the policy "a majority of members, one of them neither the client's org nor paid by the job"
     * from the match on. With the client in Org1 and providers of Org2 and Org3, every org is interested, so the
     * settlement needs all three: endorsed by the paid orgs (a majority, so enough for the chaincode's own policy), or by
     * the client's org and one provider's, it is invalid and changes nothing; endorsed as the gateway plans it from the
     * keys it writes, it commits.
     */
    @Test
    void a_job_settlement_endorsed_short_of_its_key_policy_is_invalid_and_changes_nothing_and_commits_as_planned() {
        var job = new RunningJob("sbe", Matching.BY_ID, ORG2, ORG3);
        job.commitAll();
        job.revealAll();
        var before = job.view();
        var balancesBefore = job.balances();

        var paidOrgsOnly = job.settle(proposal -> proposal.setEndorsingOrganizations(ORG2, ORG3));
        var clientAndOneProvider = job.settle(proposal -> proposal.setEndorsingOrganizations(ORG1, ORG2));

        assertThat(paidOrgsOnly.getCode()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(clientAndOneProvider.getCode()).isEqualTo(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        assertThat(job.view()).isEqualTo(before);
        assertThat(job.view().at("/job/status").asText()).isEqualTo("RUNNING");
        assertThat(job.balances()).isEqualTo(balancesBefore);

        var planned = job.settle(UnaryOperator.identity());
        assertThat(planned.getCode()).isEqualTo(TxValidationCode.VALID);
        assertThat(CommittedTransactions.endorsingOrgs(job.client.network, planned)).containsExactlyInAnyOrder(ORG1, ORG2, ORG3);
        assertThat(job.view().at("/job/status").asText()).isEqualTo("COMPLETED");
        var balancesAfter = job.balances();
        assertThat(balancesAfter.get(0)).isGreaterThan(balancesBefore.get(0));
        assertThat(balancesAfter.get(1)).isGreaterThan(balancesBefore.get(1));
        var released = job.client.submit("ReleaseSlots", Transactions.json(List.of(job.jobId)));
        assertThat(released.get("released")).extracting(JsonNode::asText).containsExactly(job.jobId);
    }

    @Test
    void governance_proposes_approves_and_applies_parameters_once_a_majority_of_members_agrees() {
        var admin1 = party(ORG1, "Admin");
        var admin2 = party(ORG2, "Admin");
        var params = admin1.evaluate("GetParameters");
        var proposalId = "params-" + RUN;
        assertThatThrownBy(() -> admin1.submit("InitLedger", params.toString()))
                .hasCauseInstanceOf(EndorseException.class).hasMessageContaining("ALREADY_EXISTS");

        JsonNode proposal = ((com.fasterxml.jackson.databind.node.ObjectNode) params.deepCopy()).without("version");
        var bootstrap = admin1.evaluate("GetBootstrap", Transactions.params());
        assertThat(bootstrap.get("applied").asBoolean()).isTrue();
        assertThat(bootstrap.get("approvals")).extracting(JsonNode::asText).containsExactly(ORG1, ORG2);

        long version = params.get("version").asLong();
        var proposed = admin1.submit("ProposeParameters", proposalId, Long.toString(version),
                Long.toString(Instant.now().getEpochSecond() + 3_600), proposal.toString());
        assertThat(proposed.get("status").asText()).isEqualTo("OPEN");
        var approved = admin2.submit("ApproveProposal", proposalId);

        assertThat(approved.get("status").asText()).isEqualTo("APPLIED");
        assertThat(admin1.evaluate("GetProposal", proposalId).get("approvals")).extracting(JsonNode::asText)
                .containsExactly(ORG1, ORG2);
        var applied = admin2.evaluate("GetParameters");
        assertThat(applied.get("version").asLong()).isEqualTo(version + 1);
        JsonNode appliedWithoutVersion = ((com.fasterxml.jackson.databind.node.ObjectNode) applied.deepCopy()).without("version");
        assertThat(appliedWithoutVersion).isEqualTo(proposal);
    }

    @Test
    void accounts_take_deposits_withdrawals_and_transfers_and_list_in_pages() {
        var admin1 = party(ORG1, "Admin");
        var user1 = party(ORG1, "User1");
        var user2 = party(ORG2, "User1");
        long mine = balance(user1);
        long theirs = balance(user2);

        admin1.submit("Deposit", user1.account(), "700");
        admin1.submit("Withdraw", user1.account(), "200");
        user1.submit("Transfer", user2.account(), "150");

        assertThat(user1.evaluate("WhoAmI").get("balance").asLong()).isEqualTo(mine + 700 - 200 - 150);
        user1.submit("CompactAccount", user1.account());
        assertThat(balance(user1)).isEqualTo(mine + 700 - 200 - 150);
        assertThat(user2.evaluate("GetAccount", user2.account()).get("balance").asLong()).isEqualTo(theirs + 150);
        var listed = new ArrayList<String>();
        String bookmark = "";
        do {
            var page = user1.evaluate("ListAccounts", "1", bookmark);
            page.get("items").forEach(item -> listed.add(item.get("accountId").asText()));
            bookmark = page.path("bookmark").asText("");
        } while (!bookmark.isEmpty());
        assertThat(listed).contains(user1.account(), user2.account()).doesNotHaveDuplicates();
    }

    @Test
    void a_provider_publishes_updates_pauses_resumes_and_withdraws_an_offer() {
        var provider = party(ORG1, "node1");
        fund(provider, 5_000);
        var offerId = "offer-life-" + RUN;

        provider.submit("PublishOffer", Transactions.offer(offerId, 7, 1, pool("offers")));
        provider.submit("UpdateOffer", Transactions.offer(offerId, 8, 1, pool("offers")));
        assertThat(provider.evaluate("ListOffers", "amd64/cpu", "8", "100", "").get("items"))
                .extracting(o -> o.get("offerId").asText()).contains(offerId);
        provider.submit("PauseOffer", offerId);
        assertThat(provider.evaluate("GetOffer", offerId).get("status").asText()).isEqualTo("PAUSED");
        provider.submit("ResumeOffer", offerId);
        assertThat(provider.evaluate("GetOffer", offerId).get("status").asText()).isEqualTo("ACTIVE");
        provider.submit("WithdrawOffer", offerId);

        var offers = provider.evaluate("ListOffersByNode", provider.account(), "100", "").get("items");
        assertThat(offers).filteredOn(o -> o.get("offerId").asText().equals(offerId))
                .singleElement().satisfies(o -> {
                    assertThat(o.get("status").asText()).isEqualTo("WITHDRAWN");
                    assertThat(o.get("unitPrice").asLong()).isEqualTo(8);
                });
    }

    @Test
    void a_job_matched_from_the_queue_completes_and_shows_in_every_job_and_reputation_query() {
        var job = new RunningJob("queue", Matching.FROM_QUEUE, ORG2, ORG3);
        job.commitAll();
        job.revealAll();
        assertThat(job.settle(UnaryOperator.identity()).getCode()).isEqualTo(TxValidationCode.VALID);

        var client = job.client;
        assertThat(job.view().at("/job/status").asText()).isEqualTo("COMPLETED");
        assertThat(client.evaluate("GetJobHistory", job.jobId)).isNotEmpty();
        assertThat(ids(client.evaluate("ListJobsByClient", client.account(), "100", ""))).contains(job.jobId);
        assertThat(ids(client.evaluate("ListJobsByNode", job.assignment(0).nodeId(), "100", ""))).contains(job.jobId);
        assertThat(client.evaluate("ListJobsByStatus", "COMPLETED", "1", "").get("items")).hasSize(1);
        var node = job.assignment(0).nodeId();
        assertThat(client.evaluate("GetNodeReputation", node).at("/record/earned/" + ORG1 + "/agreed").asLong()).isPositive();
        assertThat(client.evaluate("GetOrgReputation", ORG3).at("/record/earned/" + ORG1 + "/agreed").asLong()).isPositive();
        var compacted = job.client.submit("CompactReputation", node);
        assertThat(compacted.get("score").asInt()).isEqualTo(client.evaluate("GetNodeReputation", node).get("score").asInt());
    }

    @Test
    void a_queued_job_is_cancelled_by_its_client_and_one_that_cannot_meet_its_deadline_expires() {
        var client = party(ORG2, "User1");
        fund(client, 200_000);
        var cancelled = "job-cancel-" + RUN;
        var late = "job-late-" + RUN;
        long balance = balance(client);
        long now = Instant.now().getEpochSecond();

        client.submit("SubmitJob", Transactions.job(cancelled, 2, 2, 20, now + 86_400, pool("nowhere")));
        // One second to run plus the commit grace, due a few seconds after that: it had to be matched within those few
        // seconds (slack for the submission's own timestamp). Expiry may fail it once that moment is past by more than
        // the clock tolerance.
        client.submit("SubmitJob", Transactions.with(Transactions.job(late, 2, 2, 20, now + 1 + COMMIT_GRACE + 3,
                pool("nowhere")), "timeoutSeconds", 1));
        assertThat(balance(client)).isLessThan(balance);
        client.submit("CancelJob", cancelled);
        var anyone = party(ORG3, "User1");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThatCode(() -> anyone.submit("ExpireJob", late)).doesNotThrowAnyException());

        assertThat(client.evaluate("GetJob", cancelled).at("/job/status").asText()).isEqualTo("CANCELLED");
        assertThat(client.evaluate("GetJob", late).at("/job/status").asText()).isEqualTo("FAILED");
        assertThat(balance(client)).isEqualTo(balance);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void every_transaction_the_contract_declares_was_run_through_the_gateway() {
        var metadata = party(ORG1, "User1").evaluate("org.hyperledger.fabric:GetMetadata");
        var declared = new ArrayList<String>();
        metadata.at("/contracts/" + FabricNetwork.CHAINCODE + "/transactions")
                .forEach(tx -> declared.add(tx.get("name").asText()));
        assertThat(declared).hasSizeGreaterThan(30);
        assertThat(called).containsAll(declared);
    }

    // --- fixtures ---------------------------------------------------------------------------------------

    /** Labels that keep a test's jobs on its own offers, whatever else the network's market holds. */
    static Map<String, String> pool(String test) {
        return Map.of("pool", test + "-" + RUN);
    }

    /** Credits {@code party}'s account through an admin of its org. */
    void fund(Party party, long amount) {
        party(party.mspId, "Admin").submit("Deposit", party.account(), Long.toString(amount));
    }

    long balance(Party party) {
        return party.evaluate("GetAccount", party.account()).get("balance").asLong();
    }

    private static List<String> ids(JsonNode page) {
        var ids = new ArrayList<String>();
        page.get("items").forEach(job -> ids.add(job.get("jobId").asText()));
        return ids;
    }

    private static SubmittedTransaction submit(Transaction transaction) {
        try {
            return transaction.submitAsync();
        } catch (SubmitException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A replica assignment from the match: which node of which org runs replica {@code replica}. */
    record Assignment(int replica, String nodeId) {
        String org() {
            return nodeId.substring(0, nodeId.indexOf('/'));
        }

        String user() {
            return nodeId.substring(nodeId.indexOf('/') + 1, nodeId.indexOf('@'));
        }
    }

    /** How a {@link RunningJob} gets matched: by its id, or as the oldest of its resource class's queue. */
    enum Matching { BY_ID, FROM_QUEUE }

    /**
     * A two-replica job of User1 of Org1 on two funded providers (node1 of {@code providerOrgs}), submitted and
     * matched: each test drives it from there.
     */
    final class RunningJob {
        final String jobId;
        final Party client;
        private final List<Assignment> assignments = new ArrayList<>();
        private final String digest = "c".repeat(64);

        RunningJob(String test, Matching matching, String... providerOrgs) {
            this.jobId = "job-" + test + "-" + RUN;
            this.client = party(ORG1, "User1");
            fund(client, 100_000);
            long price = 10;
            for (var org : providerOrgs) {
                var provider = party(org, "node1");
                fund(provider, 5_000);
                provider.submit("PublishOffer", Transactions.offer("offer-" + test + "-" + org + "-" + RUN, price++, 1, pool(test)));
            }
            client.submit("SubmitJob", Transactions.job(jobId, 2, 2, 20, Instant.now().getEpochSecond() + 86_400, pool(test)));
            var matched = switch (matching) {
                case FROM_QUEUE -> client.submit("MatchQueue", "amd64/cpu", "100", "[]");
                case BY_ID -> client.submit("MatchJobs", Transactions.json(List.of(jobId)), "[]");
            };
            matched.get("assignments").forEach(a -> {
                if (a.get("jobId").asText().equals(jobId)) {
                    assignments.add(new Assignment(a.get("replica").asInt(), a.get("nodeId").asText()));
                }
            });
            assignments.sort(Comparator.comparingInt(Assignment::replica));
            assertThat(assignments).extracting(Assignment::org).containsExactlyInAnyOrder(providerOrgs);
            // Pay is for the time the ledger saw between assignment and commit: let a second pass.
            long assignedAt = view().at("/replicas/0/assignment/assignedAt").asLong();
            await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().getEpochSecond() > assignedAt + 1);
        }

        Assignment assignment(int replica) {
            return assignments.get(replica);
        }

        Party provider(int replica) {
            return party(assignment(replica).org(), assignment(replica).user());
        }

        String salt(int replica) {
            return Transactions.salt(jobId + "/" + replica);
        }

        void commitAll() {
            for (var a : assignments) {
                provider(a.replica()).submit("CommitResult", jobId, Integer.toString(a.replica()),
                        Transactions.commitment(jobId, a.replica(), a.nodeId(), digest, salt(a.replica())));
            }
        }

        void revealAll() {
            for (var a : assignments) {
                provider(a.replica()).submit("RevealResult", jobId, Integer.toString(a.replica()),
                        Transactions.fingerprint(jobId, digest), salt(a.replica()), "100");
            }
        }

        /** Settles the job as its client's gateway would, with the proposal shaped by {@code endorsement}; its status. */
        Status settle(UnaryOperator<org.hyperledger.fabric.client.Proposal.Builder> endorsement) {
            return client.status(endorsement.apply(client.proposalBuilder("SettleJob", jobId)));
        }

        JsonNode view() {
            return client.evaluate("GetJob", jobId);
        }

        List<Long> balances() {
            return assignments.stream().map(a -> balance(provider(a.replica()))).toList();
        }
    }

    /** One user of one org, connected to its org's peer, whose calls are recorded for the coverage check. */
    protected final class Party {
        final String mspId;
        final String user;
        final Network network;
        final Contract contract;

        Party(String mspId, String user, Network network) {
            this.mspId = mspId;
            this.user = user;
            this.network = network;
            this.contract = network.getContract(FabricNetwork.CHAINCODE);
        }

        String account() {
            return Transactions.account(mspId, user);
        }

        JsonNode submit(String function, String... args) {
            called.add(function);
            try {
                return parse(contract.submitTransaction(function, args));
            } catch (EndorseException | SubmitException | CommitStatusException e) {
                throw new IllegalStateException(function + " by " + account() + " failed: " + e.getMessage()
                        + " " + (e instanceof EndorseException endorse ? endorse.getDetails() : ""), e);
            } catch (org.hyperledger.fabric.client.CommitException e) {
                throw new IllegalStateException(function + " by " + account() + " is " + e.getCode(), e);
            }
        }

        JsonNode evaluate(String function, String... args) {
            called.add(function);
            try {
                return parse(contract.evaluateTransaction(function, args));
            } catch (GatewayException e) {
                throw new IllegalStateException(function + " by " + account() + " failed: " + e.getMessage(), e);
            }
        }

        org.hyperledger.fabric.client.Proposal.Builder proposalBuilder(String function, String... args) {
            called.add(function);
            return contract.newProposal(function).addArguments(args);
        }

        Transaction endorse(String function, String... args) throws EndorseException {
            return proposalBuilder(function, args).build().endorse();
        }

        /** Endorses and submits the proposal, and waits for its commit status. */
        Status status(org.hyperledger.fabric.client.Proposal.Builder proposal) {
            try {
                return proposal.build().endorse().submitAsync().getStatus();
            } catch (EndorseException | SubmitException | CommitStatusException e) {
                throw new IllegalStateException("by " + account() + ": " + e.getMessage(), e);
            }
        }

        private JsonNode parse(byte[] result) {
            try {
                return JSON.readTree(new String(result, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
