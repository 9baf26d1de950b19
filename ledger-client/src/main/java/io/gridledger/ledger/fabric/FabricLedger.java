package io.gridledger.ledger.fabric;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.gridledger.ledger.Account;
import io.gridledger.ledger.Bootstrap;
import io.gridledger.ledger.ChaincodeEvent;
import io.gridledger.ledger.CommitFailure;
import io.gridledger.ledger.CommittedTransaction;
import io.gridledger.ledger.CommitStatusUnknown;
import io.gridledger.ledger.Committed;
import io.gridledger.ledger.ContractErrorCode;
import io.gridledger.ledger.ContractEvent;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.EndorsementFailure;
import io.gridledger.ledger.EventCheckpoint;
import io.gridledger.ledger.EventStream;
import io.gridledger.ledger.HistoryEntry;
import io.gridledger.ledger.Identities;
import io.gridledger.ledger.Job;
import io.gridledger.ledger.JobSpec;
import io.gridledger.ledger.JobView;
import io.gridledger.ledger.Ledger;
import io.gridledger.ledger.LedgerException;
import io.gridledger.ledger.LedgerUnavailable;
import io.gridledger.ledger.MatchReport;
import io.gridledger.ledger.Offer;
import io.gridledger.ledger.OfferSpec;
import io.gridledger.ledger.Page;
import io.gridledger.ledger.PageRequest;
import io.gridledger.ledger.Parameters;
import io.gridledger.ledger.Proposal;
import io.gridledger.ledger.ReplicaCommit;
import io.gridledger.ledger.ReplicaReveal;
import io.gridledger.ledger.ReputationView;
import io.gridledger.ledger.SubmitFailure;
import io.gridledger.ledger.SubmitObserver;
import io.gridledger.ledger.TransactionStatus;
import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.msp.FabricMSPConfig;
import org.hyperledger.fabric.protos.msp.MSPConfig;
import io.gridledger.ledger.ChannelMsp;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import org.hyperledger.fabric.client.CloseableIterator;
import org.hyperledger.fabric.client.CommitStatusException;
import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.Gateway;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.client.GatewayRuntimeException;
import org.hyperledger.fabric.client.Hash;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.SubmitException;
import org.hyperledger.fabric.client.identity.Signers;
import org.hyperledger.fabric.client.identity.X509Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link Ledger} over the Fabric Gateway Java SDK: one gRPC channel to this org's peer (TLS when configured), one
 * {@link Gateway} per identity acting over it, per-call deadlines from {@link FabricSettings}.
 *
 * <p>Failures become {@link LedgerException}s by stage. A contract refusal is recognised by the error code the
 * chaincode puts first in its message, in the endorsement error's details (peer by peer) or its message. Read
 * conflicts ({@code MVCC_READ_CONFLICT}, {@code PHANTOM_READ_CONFLICT}) and endorsers that disagreed (they simulated
 * at different heights) are retried with a new proposal after an exponential backoff with jitter, up to
 * {@code maxAttempts}; nothing else is.
 *
 * <p>Metrics: {@code gridledger.ledger.calls} (timer by {@code transaction} and {@code outcome}) and
 * {@code gridledger.ledger.conflicts.retried} (counter by {@code transaction} and {@code reason}).
 */
public final class FabricLedger implements Ledger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FabricLedger.class);
    private static final String DISAGREEMENT = "ProposalResponsePayloads do not match";
    private static final String QSCC = "qscc";
    private static final String CSCC = "cscc";
    /** The peer's block store's answer for a transaction id it does not hold. */
    private static final String QSCC_NOT_FOUND = "Entry not found in index";

    private final FabricSettings settings;
    private final Identities identities;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final ManagedChannel channel;
    private final Map<String, Gateway> gateways = new ConcurrentHashMap<>();

    public FabricLedger(FabricSettings settings, Identities identities, JsonMapper json, MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.json = Objects.requireNonNull(json, "json");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.channel = openChannel(settings);
    }

    private static ManagedChannel openChannel(FabricSettings settings) {
        ChannelCredentials credentials;
        if (settings.tlsCaCertificate() == null || settings.tlsCaCertificate().isBlank()) {
            credentials = InsecureChannelCredentials.create();
        } else {
            try {
                credentials = TlsChannelCredentials.newBuilder().trustManager(new File(settings.tlsCaCertificate())).build();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the peer's TLS CA certificate " + settings.tlsCaCertificate(), e);
            }
        }
        var builder = Grpc.newChannelBuilder(settings.peerEndpoint(), credentials);
        if (settings.tlsServerName() != null && !settings.tlsServerName().isBlank()) {
            builder.overrideAuthority(settings.tlsServerName());
        }
        return builder.build();
    }

    // --- governance ---

    @Override
    public Committed<Bootstrap> initLedger(String identity, Parameters params, Set<String> endorsingOrgs) {
        return submit(identity, "InitLedger", null, endorsingOrgs, Argument.of(Bootstrap.class), write(params));
    }

    @Override
    public Bootstrap getBootstrap(String identity, Parameters params) {
        return evaluate(identity, "GetBootstrap", Argument.of(Bootstrap.class), write(params));
    }

    @Override
    public Committed<Proposal> proposeParameters(String identity, String proposalId, long amendsVersion, long expiresAt,
                                                 Parameters params) {
        return submit(identity, "ProposeParameters", null, Set.of(), Argument.of(Proposal.class), proposalId,
                Long.toString(amendsVersion), Long.toString(expiresAt), write(params.withoutVersion()));
    }

    @Override
    public Committed<Proposal> approveProposal(String identity, String proposalId) {
        return submit(identity, "ApproveProposal", null, Set.of(), Argument.of(Proposal.class), proposalId);
    }

    @Override
    public Parameters getParameters(String identity) {
        return evaluate(identity, "GetParameters", Argument.of(Parameters.class));
    }

    @Override
    public Proposal getProposal(String identity, String proposalId) {
        return evaluate(identity, "GetProposal", Argument.of(Proposal.class), proposalId);
    }

    // --- accounts ---

    @Override
    public Committed<Account> deposit(String identity, String accountId, long amount) {
        return deposit(identity, accountId, amount, SubmitObserver.NONE);
    }

    @Override
    public Committed<Account> withdraw(String identity, String accountId, long amount) {
        return withdraw(identity, accountId, amount, SubmitObserver.NONE);
    }

    @Override
    public Committed<Account> deposit(String identity, String accountId, long amount, SubmitObserver observer) {
        return submit(identity, "Deposit", null, Set.of(), observer, Argument.of(Account.class), accountId,
                Long.toString(amount));
    }

    @Override
    public Committed<Account> withdraw(String identity, String accountId, long amount, SubmitObserver observer) {
        return submit(identity, "Withdraw", null, Set.of(), observer, Argument.of(Account.class), accountId,
                Long.toString(amount));
    }

    @Override
    public Committed<Account> transfer(String identity, String toAccountId, long amount) {
        return submit(identity, "Transfer", null, Set.of(), Argument.of(Account.class), toAccountId, Long.toString(amount));
    }

    @Override
    public Committed<Account> compactAccount(String identity, String accountId) {
        return submit(identity, "CompactAccount", null, Set.of(), Argument.of(Account.class), accountId);
    }

    @Override
    public Account getAccount(String identity, String accountId) {
        return evaluate(identity, "GetAccount", Argument.of(Account.class), accountId);
    }

    @Override
    public Account whoAmI(String identity) {
        return evaluate(identity, "WhoAmI", Argument.of(Account.class));
    }

    @Override
    public Page<Account> listAccounts(String identity, PageRequest page) {
        return evaluate(identity, "ListAccounts", page(Account.class), Integer.toString(page.pageSize()), page.bookmark());
    }

    // --- offers ---

    @Override
    public Committed<Offer> publishOffer(String identity, OfferSpec offer) {
        return submit(identity, "PublishOffer", null, Set.of(), Argument.of(Offer.class), write(offer));
    }

    @Override
    public Committed<Offer> updateOffer(String identity, OfferSpec offer) {
        return submit(identity, "UpdateOffer", null, Set.of(), Argument.of(Offer.class), write(offer));
    }

    @Override
    public Committed<Offer> pauseOffer(String identity, String offerId) {
        return submit(identity, "PauseOffer", null, Set.of(), Argument.of(Offer.class), offerId);
    }

    @Override
    public Committed<Offer> resumeOffer(String identity, String offerId) {
        return submit(identity, "ResumeOffer", null, Set.of(), Argument.of(Offer.class), offerId);
    }

    @Override
    public Committed<Offer> withdrawOffer(String identity, String offerId) {
        return submit(identity, "WithdrawOffer", null, Set.of(), Argument.of(Offer.class), offerId);
    }

    @Override
    public Offer getOffer(String identity, String offerId) {
        return evaluate(identity, "GetOffer", Argument.of(Offer.class), offerId);
    }

    @Override
    public Page<Offer> listOffers(String identity, String resourceClass, long maxUnitPrice, PageRequest page) {
        return evaluate(identity, "ListOffers", page(Offer.class), resourceClass, Long.toString(maxUnitPrice),
                Integer.toString(page.pageSize()), page.bookmark());
    }

    @Override
    public Page<Offer> listOffersByNode(String identity, String nodeId, PageRequest page) {
        return evaluate(identity, "ListOffersByNode", page(Offer.class), nodeId, Integer.toString(page.pageSize()), page.bookmark());
    }

    // --- jobs ---

    @Override
    public Committed<Job> submitJob(String identity, JobSpec job) {
        return submit(identity, "SubmitJob", job.jobId(), Set.of(), Argument.of(Job.class), write(job));
    }

    @Override
    public Committed<MatchReport> matchJobs(String identity, List<String> jobIds, List<String> releaseJobIds) {
        return submit(identity, "MatchJobs", jobIds.size() == 1 ? jobIds.get(0) : null, Set.of(),
                Argument.of(MatchReport.class), write(jobIds), write(releaseJobIds));
    }

    @Override
    public Committed<MatchReport> matchQueue(String identity, String resourceClass, int limit, List<String> releaseJobIds) {
        return submit(identity, "MatchQueue", null, Set.of(), Argument.of(MatchReport.class), resourceClass,
                Integer.toString(limit), write(releaseJobIds));
    }

    @Override
    public Committed<MatchReport> releaseSlots(String identity, List<String> jobIds) {
        return submit(identity, "ReleaseSlots", null, Set.of(), Argument.of(MatchReport.class), write(jobIds));
    }

    @Override
    public Committed<ReplicaCommit> commitResult(String identity, String jobId, int replica, String commitment) {
        return submit(identity, "CommitResult", jobId, Set.of(), Argument.of(ReplicaCommit.class), jobId,
                Integer.toString(replica), commitment);
    }

    @Override
    public Committed<ReplicaReveal> revealResult(String identity, String jobId, int replica, String result, String salt,
                                                 long runtimeSeconds) {
        return submit(identity, "RevealResult", jobId, Set.of(), Argument.of(ReplicaReveal.class), jobId,
                Integer.toString(replica), result, salt, Long.toString(runtimeSeconds));
    }

    @Override
    public Committed<Job> settleJob(String identity, String jobId) {
        return submit(identity, "SettleJob", jobId, Set.of(), Argument.of(Job.class), jobId);
    }

    @Override
    public Committed<Job> expireJob(String identity, String jobId) {
        return submit(identity, "ExpireJob", jobId, Set.of(), Argument.of(Job.class), jobId);
    }

    @Override
    public Committed<Job> cancelJob(String identity, String jobId) {
        return submit(identity, "CancelJob", jobId, Set.of(), Argument.of(Job.class), jobId);
    }

    @Override
    public JobView getJob(String identity, String jobId) {
        return evaluate(identity, "GetJob", Argument.of(JobView.class), jobId);
    }

    @Override
    public List<HistoryEntry> getJobHistory(String identity, String jobId) {
        return evaluate(identity, "GetJobHistory", Argument.listOf(HistoryEntry.class), jobId);
    }

    @Override
    public Page<Job> listJobsByClient(String identity, String clientId, PageRequest page) {
        return evaluate(identity, "ListJobsByClient", page(Job.class), clientId, Integer.toString(page.pageSize()), page.bookmark());
    }

    @Override
    public Page<Job> listJobsByNode(String identity, String nodeId, PageRequest page) {
        return evaluate(identity, "ListJobsByNode", page(Job.class), nodeId, Integer.toString(page.pageSize()), page.bookmark());
    }

    @Override
    public Page<Job> listJobsByStatus(String identity, Job.Status status, PageRequest page) {
        return evaluate(identity, "ListJobsByStatus", page(Job.class), status.name(), Integer.toString(page.pageSize()),
                page.bookmark());
    }

    // --- reputation ---

    @Override
    public ReputationView getNodeReputation(String identity, String nodeId) {
        return evaluate(identity, "GetNodeReputation", Argument.of(ReputationView.class), nodeId);
    }

    @Override
    public ReputationView getOrgReputation(String identity, String mspId) {
        return evaluate(identity, "GetOrgReputation", Argument.of(ReputationView.class), mspId);
    }

    @Override
    public Committed<ReputationView> compactReputation(String identity, String nodeId) {
        return submit(identity, "CompactReputation", null, Set.of(), Argument.of(ReputationView.class), nodeId);
    }

    // --- the ledger itself ---

    @Override
    public Optional<TransactionStatus> transactionStatus(String identity, String txId) {
        var sample = Timer.start(meters);
        var outcome = "ok";
        try {
            var bytes = network(identity).getContract(QSCC).evaluateTransaction("GetTransactionByID", settings.channel(), txId);
            var code = ProcessedTransaction.parseFrom(bytes).getValidationCode();
            var validation = TxValidationCode.forNumber(code);
            return Optional.of(new TransactionStatus(txId, validation == null ? "UNKNOWN_" + code : validation.name()));
        } catch (GatewayException e) {
            if (describe(e).contains(QSCC_NOT_FOUND)) {
                outcome = "absent";
                return Optional.empty();
            }
            outcome = "unavailable";
            throw unavailable("GetTransactionByID", txId, e.getStatus(), e);
        } catch (InvalidProtocolBufferException e) {
            outcome = "error";
            throw new IllegalStateException("qscc returned an unreadable ProcessedTransaction for " + txId, e);
        } finally {
            sample.stop(timer("GetTransactionByID", outcome));
        }
    }

    @Override
    public Optional<CommittedTransaction> committedTransaction(String identity, String txId) {
        Objects.requireNonNull(txId, "txId");
        var sample = Timer.start(meters);
        var outcome = "ok";
        try {
            var bytes = network(identity).getContract(QSCC).evaluateTransaction("GetBlockByTxID", settings.channel(), txId);
            return Optional.of(BlockTransactions.find(Block.parseFrom(bytes), txId));
        } catch (GatewayException e) {
            if (describe(e).contains(QSCC_NOT_FOUND)) {
                outcome = "absent";
                return Optional.empty();
            }
            outcome = "unavailable";
            throw unavailable("GetBlockByTxID", txId, e.getStatus(), e);
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            outcome = "error";
            throw new IllegalStateException("qscc returned an unreadable block for " + txId + ": " + e.getMessage(), e);
        } finally {
            sample.stop(timer("GetBlockByTxID", outcome));
        }
    }

    @Override
    public long chainHeight(String identity) {
        try {
            var bytes = network(identity).getContract(QSCC).evaluateTransaction("GetChainInfo", settings.channel());
            return BlockchainInfo.parseFrom(bytes).getHeight();
        } catch (GatewayException e) {
            throw unavailable("GetChainInfo", null, e.getStatus(), e);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("qscc returned an unreadable BlockchainInfo", e);
        }
    }

    @Override
    public Map<String, ChannelMsp> channelMsps(String identity) {
        byte[] bytes;
        try {
            bytes = network(identity).getContract(CSCC).evaluateTransaction("GetChannelConfig", settings.channel());
        } catch (GatewayException e) {
            throw unavailable("GetChannelConfig", null, e.getStatus(), e);
        }
        try {
            var application = Config.parseFrom(bytes).getChannelGroup().getGroupsMap().get("Application");
            var msps = new java.util.TreeMap<String, ChannelMsp>();
            if (application == null) {
                return msps;
            }
            for (var org : application.getGroupsMap().values()) {
                var value = org.getValuesMap().get("MSP");
                if (value == null) {
                    continue;
                }
                var msp = MSPConfig.parseFrom(value.getValue());
                if (msp.getType() != 0) {
                    continue; // not an X.509 (FABRIC) MSP
                }
                var fabric = FabricMSPConfig.parseFrom(msp.getConfig());
                msps.put(fabric.getName(), new ChannelMsp(fabric.getName(),
                        fabric.getRootCertsList().stream().map(com.google.protobuf.ByteString::toByteArray).toList(),
                        fabric.getIntermediateCertsList().stream().map(com.google.protobuf.ByteString::toByteArray).toList(),
                        fabric.getRevocationListList().stream().map(com.google.protobuf.ByteString::toByteArray).toList()));
            }
            return msps;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cscc returned an unreadable channel configuration", e);
        }
    }

    // --- events ---

    @Override
    public EventStream events(String identity, EventCheckpoint from) {
        var request = network(identity).newChaincodeEventsRequest(settings.chaincode())
                .checkpoint(new org.hyperledger.fabric.client.Checkpoint() {
                    @Override
                    public java.util.OptionalLong getBlockNumber() {
                        return java.util.OptionalLong.of(from.blockNumber());
                    }

                    @Override
                    public Optional<String> getTransactionId() {
                        return Optional.ofNullable(from.txId());
                    }
                });
        return new SdkEventStream(request.build().getEvents());
    }

    private final class SdkEventStream implements EventStream {
        private final CloseableIterator<org.hyperledger.fabric.client.ChaincodeEvent> events;

        SdkEventStream(CloseableIterator<org.hyperledger.fabric.client.ChaincodeEvent> events) {
            this.events = events;
        }

        @Override
        public boolean hasNext() {
            try {
                return events.hasNext();
            } catch (GatewayRuntimeException e) {
                throw unavailable("ChaincodeEvents", null, e.getStatus(), e);
            }
        }

        @Override
        public ChaincodeEvent next() {
            try {
                var event = events.next();
                var payload = json.readValue(event.getPayload(), Argument.of(ContractEvent.class));
                return new ChaincodeEvent(event.getEventName(), event.getTransactionId(), event.getBlockNumber(), payload);
            } catch (GatewayRuntimeException e) {
                throw unavailable("ChaincodeEvents", null, e.getStatus(), e);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable chaincode event payload", e);
            }
        }

        @Override
        public void close() {
            events.close();
        }
    }

    // --- calls ---

    private <T> T evaluate(String identity, String transaction, Argument<T> type, String... args) {
        return metered(transaction, () -> {
            try {
                return read(transaction, contract(identity).evaluateTransaction(transaction, args), type);
            } catch (GatewayException e) {
                var refusal = refusal(e.getMessage(), e.getDetails());
                if (refusal.isPresent()) {
                    throw new ContractRefusal(transaction, null, refusal.get().code(), refusal.get().message());
                }
                throw unavailable(transaction, null, e.getStatus(), e);
            }
        });
    }

    private <T> Committed<T> submit(String identity, String transaction, @Nullable String jobId, Set<String> endorsingOrgs,
                                    Argument<T> type, String... args) {
        return submit(identity, transaction, jobId, endorsingOrgs, SubmitObserver.NONE, type, args);
    }

    private <T> Committed<T> submit(String identity, String transaction, @Nullable String jobId, Set<String> endorsingOrgs,
                                    SubmitObserver observer, Argument<T> type, String... args) {
        var previousJob = MDC.get("jobId");
        if (jobId != null) {
            MDC.put("jobId", jobId);
        }
        try {
            return metered(transaction, () -> {
                for (int attempt = 1; ; attempt++) {
                    try {
                        return submitOnce(identity, transaction, endorsingOrgs, observer, type, args);
                    } catch (CommitFailure e) {
                        if (!e.isConflict() || attempt >= settings.maxAttempts()) {
                            throw e;
                        }
                        retrying(transaction, e.validationCode(), attempt, e);
                    } catch (EndorsementFailure e) {
                        if (!e.endorsersDisagreed() || attempt >= settings.maxAttempts()) {
                            throw e;
                        }
                        retrying(transaction, "ENDORSERS_DISAGREED", attempt, e);
                    }
                }
            });
        } finally {
            MDC.remove("txId");
            if (previousJob == null) {
                MDC.remove("jobId");
            } else {
                MDC.put("jobId", previousJob);
            }
        }
    }

    /** Runs a call, timed in {@code gridledger.ledger.calls} under its transaction and outcome. */
    private <T> T metered(String transaction, java.util.function.Supplier<T> call) {
        var sample = Timer.start(meters);
        var outcome = "ok";
        try {
            return call.get();
        } catch (RuntimeException e) {
            outcome = outcome(e);
            throw e;
        } finally {
            sample.stop(timer(transaction, outcome));
        }
    }

    private <T> Committed<T> submitOnce(String identity, String transaction, Set<String> endorsingOrgs,
                                        SubmitObserver observer, Argument<T> type, String... args) {
        var builder = contract(identity).newProposal(transaction).addArguments(args);
        if (!endorsingOrgs.isEmpty()) {
            builder.setEndorsingOrganizations(endorsingOrgs.toArray(String[]::new));
        }
        var proposal = builder.build();
        var txId = proposal.getTransactionId();
        MDC.put("txId", txId);
        org.hyperledger.fabric.client.Transaction endorsed;
        try {
            endorsed = proposal.endorse();
        } catch (EndorseException e) {
            throw endorsementFailure(transaction, txId, e);
        }
        observer.submitting(txId);
        org.hyperledger.fabric.client.SubmittedTransaction submitted;
        try {
            submitted = endorsed.submitAsync();
        } catch (SubmitException e) {
            throw new SubmitFailure(transaction, txId, e.getStatus().getCode().name(), describe(e), e);
        }
        org.hyperledger.fabric.client.Status status;
        try {
            status = submitted.getStatus();
        } catch (CommitStatusException e) {
            throw new CommitStatusUnknown(transaction, txId, e.getStatus().getCode().name(), describe(e), e);
        }
        if (!status.isSuccessful()) {
            throw new CommitFailure(transaction, txId, status.getCode().name(), status.getBlockNumber());
        }
        LOG.debug("{} committed in block {}", transaction, status.getBlockNumber());
        return new Committed<>(read(transaction, endorsed.getResult(), type), txId, status.getBlockNumber());
    }

    private void retrying(String transaction, String reason, int attempt, LedgerException e) {
        meters.counter("gridledger.ledger.conflicts.retried", "transaction", transaction, "reason", reason).increment();
        long base = settings.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
        long capped = Math.min(base, settings.retryMaxBackoff().toMillis());
        long sleep = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        LOG.info("{} {} on attempt {}; retrying in {} ms", transaction, reason, attempt, sleep);
        try {
            TimeUnit.MILLISECONDS.sleep(sleep);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private LedgerException endorsementFailure(String transaction, String txId, EndorseException e) {
        var refusal = refusal(e.getMessage(), e.getDetails());
        if (refusal.isPresent()) {
            return new ContractRefusal(transaction, txId, refusal.get().code(), refusal.get().message());
        }
        var message = describe(e);
        return new EndorsementFailure(transaction, txId, e.getStatus().getCode().name(), message,
                message.contains(DISAGREEMENT), e);
    }

    /** The chaincode's refusal, from the peers' details first (each names its own), else from the message. */
    private static Optional<ContractErrorCode.Refusal> refusal(String message,
                                                               List<org.hyperledger.fabric.protos.gateway.ErrorDetail> details) {
        for (var detail : details) {
            var refusal = ContractErrorCode.parse(detail.getMessage());
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return ContractErrorCode.parse(message);
    }

    private static String describe(GatewayException e) {
        var text = new StringBuilder(String.valueOf(e.getMessage()));
        for (var detail : e.getDetails()) {
            text.append("; ").append(detail.getMspId()).append('@').append(detail.getAddress()).append(": ")
                    .append(detail.getMessage());
        }
        return text.toString();
    }

    private static LedgerUnavailable unavailable(String transaction, @Nullable String txId, Status status, Exception e) {
        var message = e instanceof GatewayException gateway ? describe(gateway) : String.valueOf(e.getMessage());
        return new LedgerUnavailable(transaction, txId, status.getCode().name(), message, e);
    }

    private static String outcome(RuntimeException e) {
        if (e instanceof ContractRefusal) {
            return "refused";
        } else if (e instanceof EndorsementFailure) {
            return "endorsement_failed";
        } else if (e instanceof SubmitFailure) {
            return "submit_failed";
        } else if (e instanceof CommitFailure) {
            return "commit_invalid";
        } else if (e instanceof CommitStatusUnknown) {
            return "commit_unknown";
        } else if (e instanceof LedgerUnavailable) {
            return "unavailable";
        }
        return "error";
    }

    private Timer timer(String transaction, String outcome) {
        return Timer.builder("gridledger.ledger.calls").description("Ledger calls by contract transaction and outcome")
                .tags("transaction", transaction, "outcome", outcome).publishPercentileHistogram()
                .register(meters);
    }

    // --- connections and codecs ---

    private Contract contract(String identity) {
        return network(identity).getContract(settings.chaincode());
    }

    private Network network(String identity) {
        return gateways.computeIfAbsent(identity, this::connect).getNetwork(settings.channel());
    }

    private Gateway connect(String name) {
        var identity = identities.identity(name);
        return Gateway.newInstance()
                .identity(new X509Identity(identity.mspId(), identity.certificate()))
                .signer(Signers.newPrivateKeySigner(identity.privateKey()))
                .hash(Hash.SHA256)
                .connection(channel)
                .evaluateOptions(deadline(settings.evaluateTimeout()))
                .endorseOptions(deadline(settings.endorseTimeout()))
                .submitOptions(deadline(settings.submitTimeout()))
                .commitStatusOptions(deadline(settings.commitStatusTimeout()))
                .connect();
    }

    private static java.util.function.UnaryOperator<io.grpc.CallOptions> deadline(Duration timeout) {
        return options -> options.withDeadlineAfter(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> T read(String transaction, byte[] result, Argument<T> type) {
        try {
            return json.readValue(result, type);
        } catch (IOException e) {
            throw new IllegalStateException(transaction + " returned unreadable JSON: "
                    + new String(result, 0, Math.min(result.length, 500), StandardCharsets.UTF_8), e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Argument<Page<T>> page(Class<T> item) {
        return (Argument) Argument.of(Page.class, item);
    }

    /** Closes the gateways and the channel to the peer. */
    @Override
    public void close() {
        gateways.values().forEach(Gateway::close);
        gateways.clear();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For logs: the identity names this ledger acts as. */
    @Override
    public String toString() {
        return "FabricLedger[" + settings.mspId() + " via " + settings.peerEndpoint() + ", identities " + identities.names() + "]";
    }
}
