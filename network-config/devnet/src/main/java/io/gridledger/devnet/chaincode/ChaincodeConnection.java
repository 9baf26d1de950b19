package io.gridledger.devnet.chaincode;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.state.TxSimulator;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.ledger.queryresult.KV;
import org.hyperledger.fabric.protos.ledger.queryresult.KeyModification;
import org.hyperledger.fabric.protos.peer.ChaincodeGrpc;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeMessage;
import org.hyperledger.fabric.protos.peer.DelState;
import org.hyperledger.fabric.protos.peer.GetHistoryForKey;
import org.hyperledger.fabric.protos.peer.GetState;
import org.hyperledger.fabric.protos.peer.GetStateByRange;
import org.hyperledger.fabric.protos.peer.GetStateMetadata;
import org.hyperledger.fabric.protos.peer.PutState;
import org.hyperledger.fabric.protos.peer.PutStateMetadata;
import org.hyperledger.fabric.protos.peer.QueryMetadata;
import org.hyperledger.fabric.protos.peer.QueryResponse;
import org.hyperledger.fabric.protos.peer.QueryResponseMetadata;
import org.hyperledger.fabric.protos.peer.QueryResultBytes;
import org.hyperledger.fabric.protos.peer.QueryStateClose;
import org.hyperledger.fabric.protos.peer.QueryStateNext;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.hyperledger.fabric.protos.peer.StateMetadata;
import org.hyperledger.fabric.protos.peer.StateMetadataResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A peer's connection to one chaincode-as-a-service server, speaking Fabric's chaincode protocol
 * ({@code protos.Chaincode/Connect}): the peer dials, the chaincode sends REGISTER, the peer answers
 * REGISTERED and READY, then sends TRANSACTION messages and serves the chaincode's state requests
 * (GET_STATE, PUT_STATE, DEL_STATE, GET_STATE_BY_RANGE with pagination, QUERY_STATE_NEXT/CLOSE,
 * GET_STATE_METADATA, PUT_STATE_METADATA, GET_HISTORY_FOR_KEY) against the invocation's {@link TxSimulator}
 * until COMPLETED or ERROR.
 *
 * <p>Each devnet peer holds its own connection, as each Fabric peer dials the chaincode server itself. A broken
 * stream fails the invocations in flight with {@value ChaincodeExecutionException#STREAM_TERMINATED} and is
 * re-established on the next invocation.
 */
public final class ChaincodeConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChaincodeConnection.class);
    /** How long an invocation waits for a stream it has to (re-)establish to register. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Results per QueryResponse batch, as Fabric's handler sends them. */
    static final int QUERY_BATCH = 100;

    private final String chaincodeName;
    private final String address;
    private final Duration executeTimeout;
    private final ManagedChannel channel;
    private final Map<String, Invocation> invocations = new ConcurrentHashMap<>();
    private volatile Stream stream;

    public ChaincodeConnection(String chaincodeName, String address, Duration executeTimeout) {
        this.chaincodeName = chaincodeName;
        this.address = address;
        this.executeTimeout = executeTimeout;
        this.channel = NettyChannelBuilder.forTarget(address).usePlaintext()
                .maxInboundMessageSize(100 * 1024 * 1024).build();
    }

    public String chaincodeName() {
        return chaincodeName;
    }

    /**
     * Runs one invocation. The future completes with the chaincode's response (whatever its status) or fails with
     * {@link ChaincodeExecutionException}. The caller owns {@code simulator} and closes it afterwards.
     */
    public CompletableFuture<ChaincodeResult> execute(String channelId, String txId, SignedProposal proposal,
                                                      ChaincodeInput input, TxSimulator simulator) {
        var invocation = new Invocation(channelId, txId, simulator);
        var key = channelId + txId;
        if (invocations.putIfAbsent(key, invocation) != null) {
            return CompletableFuture.failedFuture(new ChaincodeExecutionException(
                    "txid [" + txId + "]: duplicate transaction in flight on channel " + channelId));
        }
        invocation.result.whenComplete((r, e) -> invocations.remove(key, invocation));
        Stream current;
        try {
            current = readyStream(CONNECT_TIMEOUT, false);
        } catch (ChaincodeExecutionException e) {
            invocation.result.completeExceptionally(e);
            return invocation.result;
        }
        invocation.stream = current;
        current.send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.TRANSACTION)
                .setTxid(txId).setChannelId(channelId).setProposal(proposal)
                .setPayload(input.toByteString()).build());
        return invocation.result.orTimeout(executeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(e instanceof TimeoutException
                        ? new ChaincodeExecutionException("timeout expired while executing transaction " + txId)
                        : e));
    }

    /**
     * Waits until the chaincode has registered and is ready, dialling it if needed. A chaincode server that is not
     * listening yet is waited for, not polled: the Connect call waits for the channel to connect (gRPC reconnects
     * with its backoff, as Fabric's peer dials a chaincode server), then for the chaincode's REGISTER, until
     * {@code timeout} has passed.
     */
    public void awaitReady(Duration timeout) throws ChaincodeExecutionException {
        readyStream(timeout, true);
    }

    /**
     * The registered stream, dialling the chaincode if there is none. Without {@code waitForServer}, an unreachable
     * server fails the call at once.
     */
    private synchronized Stream readyStream(Duration timeout, boolean waitForServer) throws ChaincodeExecutionException {
        var current = stream;
        if (current != null && !current.broken) {
            return current;
        }
        var fresh = new Stream();
        var stub = ChaincodeGrpc.newStub(channel);
        fresh.outbound = (waitForServer ? stub.withWaitForReady() : stub).connect(fresh);
        try {
            fresh.ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notReady(fresh, "interrupted");
        } catch (ExecutionException e) {
            throw notReady(fresh, e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw notReady(fresh, "not registered within " + timeout);
        }
        stream = fresh;
        return fresh;
    }

    private ChaincodeExecutionException notReady(Stream attempt, String reason) {
        attempt.outbound.onError(Status.CANCELLED.asRuntimeException());
        return new ChaincodeExecutionException("could not connect to chaincode " + chaincodeName + " at " + address
                + ": " + reason);
    }

    @Override
    public void close() {
        var current = stream;
        if (current != null) {
            current.outbound.onCompleted();
        }
        channel.shutdownNow();
    }

    /** One Connect stream: handles the registration handshake, then routes messages to invocations. */
    private final class Stream implements StreamObserver<ChaincodeMessage> {
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        StreamObserver<ChaincodeMessage> outbound;
        volatile boolean broken;

        synchronized void send(ChaincodeMessage message) {
            if (!broken) {
                outbound.onNext(message);
            }
        }

        @Override
        public void onNext(ChaincodeMessage message) {
            switch (message.getType()) {
                case REGISTER -> register(message);
                case KEEPALIVE -> send(message);
                default -> {
                    var invocation = invocations.get(message.getChannelId() + message.getTxid());
                    if (invocation == null || invocation.stream != this) {
                        log.warn("chaincode {} sent {} for unknown transaction {}", chaincodeName, message.getType(), message.getTxid());
                        return;
                    }
                    invocation.handle(message);
                }
            }
        }

        private void register(ChaincodeMessage message) {
            try {
                var id = ChaincodeID.parseFrom(message.getPayload());
                log.info("chaincode {} registered as {} at {}", chaincodeName, id.getName(), address);
            } catch (InvalidProtocolBufferException e) {
                send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.ERROR)
                        .setPayload(ByteString.copyFromUtf8("malformed REGISTER payload")).build());
                return;
            }
            send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.REGISTERED).build());
            send(ChaincodeMessage.newBuilder().setType(ChaincodeMessage.Type.READY).build());
            ready.complete(null);
        }

        @Override
        public void onError(Throwable t) {
            terminate(t.getMessage());
        }

        @Override
        public void onCompleted() {
            terminate("closed by chaincode");
        }

        private void terminate(String reason) {
            broken = true;
            ready.completeExceptionally(new ChaincodeExecutionException(String.valueOf(reason)));
            invocations.values().stream().filter(i -> i.stream == this).forEach(i -> i.result.completeExceptionally(
                    new ChaincodeExecutionException(ChaincodeExecutionException.STREAM_TERMINATED)));
        }
    }

    /** One transaction being executed: serves its state requests from its simulator. */
    private final class Invocation {
        final String channelId;
        final String txId;
        final TxSimulator simulator;
        final CompletableFuture<ChaincodeResult> result = new CompletableFuture<>();
        final Map<String, Iterator<QueryResultBytes>> queries = new ConcurrentHashMap<>();
        volatile Stream stream;

        Invocation(String channelId, String txId, TxSimulator simulator) {
            this.channelId = channelId;
            this.txId = txId;
            this.simulator = simulator;
        }

        void handle(ChaincodeMessage message) {
            switch (message.getType()) {
                case COMPLETED -> complete(message);
                case ERROR -> result.completeExceptionally(new ChaincodeExecutionException(
                        "transaction returned with failure: " + message.getPayload().toStringUtf8()));
                default -> {
                    ChaincodeMessage reply;
                    try {
                        reply = respond(ChaincodeMessage.Type.RESPONSE, serve(message));
                    } catch (InvalidProtocolBufferException e) {
                        reply = respond(ChaincodeMessage.Type.ERROR, ByteString.copyFromUtf8(
                                "malformed " + message.getType() + " payload: " + e.getMessage()));
                    } catch (RuntimeException e) {
                        reply = respond(ChaincodeMessage.Type.ERROR, ByteString.copyFromUtf8(String.valueOf(e.getMessage())));
                    }
                    stream.send(reply);
                }
            }
        }

        private void complete(ChaincodeMessage message) {
            try {
                var response = Response.parseFrom(message.getPayload());
                var event = message.hasChaincodeEvent() ? Optional.of(message.getChaincodeEvent()) : Optional.<org.hyperledger.fabric.protos.peer.ChaincodeEvent>empty();
                result.complete(new ChaincodeResult(response, event));
            } catch (InvalidProtocolBufferException e) {
                result.completeExceptionally(new ChaincodeExecutionException("malformed COMPLETED payload: " + e.getMessage()));
            }
        }

        private ChaincodeMessage respond(ChaincodeMessage.Type type, ByteString payload) {
            return ChaincodeMessage.newBuilder().setType(type).setTxid(txId).setChannelId(channelId)
                    .setPayload(payload).build();
        }

        private ByteString serve(ChaincodeMessage message) throws InvalidProtocolBufferException {
            var ns = chaincodeName;
            return switch (message.getType()) {
                case GET_STATE -> {
                    var request = GetState.parseFrom(message.getPayload());
                    requirePublic(request.getCollection());
                    yield simulator.getState(ns, request.getKey()).orElse(ByteString.EMPTY);
                }
                case PUT_STATE -> {
                    var request = PutState.parseFrom(message.getPayload());
                    requirePublic(request.getCollection());
                    simulator.putState(ns, request.getKey(), request.getValue());
                    yield ByteString.EMPTY;
                }
                case DEL_STATE -> {
                    var request = DelState.parseFrom(message.getPayload());
                    requirePublic(request.getCollection());
                    simulator.deleteState(ns, request.getKey());
                    yield ByteString.EMPTY;
                }
                case GET_STATE_METADATA -> {
                    var request = GetStateMetadata.parseFrom(message.getPayload());
                    requirePublic(request.getCollection());
                    var result = StateMetadataResult.newBuilder();
                    simulator.getStateMetadata(ns, request.getKey()).forEach((name, value) ->
                            result.addEntries(StateMetadata.newBuilder().setMetakey(name).setValue(value)));
                    yield result.build().toByteString();
                }
                case PUT_STATE_METADATA -> {
                    var request = PutStateMetadata.parseFrom(message.getPayload());
                    requirePublic(request.getCollection());
                    simulator.setStateMetadata(ns, request.getKey(), request.getMetadata().getMetakey(),
                            request.getMetadata().getValue());
                    yield ByteString.EMPTY;
                }
                case GET_STATE_BY_RANGE -> range(GetStateByRange.parseFrom(message.getPayload()));
                case QUERY_STATE_NEXT -> nextBatch(QueryStateNext.parseFrom(message.getPayload()).getId());
                case QUERY_STATE_CLOSE -> {
                    queries.remove(QueryStateClose.parseFrom(message.getPayload()).getId());
                    yield QueryResponse.newBuilder().setHasMore(false).build().toByteString();
                }
                case GET_HISTORY_FOR_KEY -> history(GetHistoryForKey.parseFrom(message.getPayload()).getKey());
                case GET_QUERY_RESULT -> throw new UnsupportedOperationException(
                        "ExecuteQuery not supported for leveldb");
                case INVOKE_CHAINCODE -> throw new UnsupportedOperationException(
                        "devnet does not support chaincode-to-chaincode invocation");
                case GET_PRIVATE_DATA_HASH, PURGE_PRIVATE_DATA ->
                        throw new UnsupportedOperationException("devnet has no private data collections");
                default -> throw new UnsupportedOperationException("unsupported chaincode message " + message.getType());
            };
        }

        private ByteString range(GetStateByRange request) throws InvalidProtocolBufferException {
            requirePublic(request.getCollection());
            var metadata = request.getMetadata().isEmpty()
                    ? QueryMetadata.getDefaultInstance() : QueryMetadata.parseFrom(request.getMetadata());
            int pageSize = Math.max(0, metadata.getPageSize());
            var scan = simulator.range(chaincodeName, request.getStartKey(), request.getEndKey(), pageSize,
                    metadata.getBookmark());
            var results = new ArrayList<QueryResultBytes>();
            Iterator<QueryResultBytes> iterator = new Iterator<>() {
                Optional<QueryResultBytes> next = fetch();

                private Optional<QueryResultBytes> fetch() {
                    return scan.next().map(e -> QueryResultBytes.newBuilder().setResultBytes(KV.newBuilder()
                            .setNamespace(chaincodeName).setKey(e.getKey()).setValue(e.getValue().value())
                            .build().toByteString()).build());
                }

                @Override
                public boolean hasNext() {
                    return next.isPresent();
                }

                @Override
                public QueryResultBytes next() {
                    var current = next.orElseThrow();
                    next = fetch();
                    return current;
                }
            };
            if (pageSize > 0) {
                // A whole page goes in one response so that its metadata (count, bookmark) comes with it.
                iterator.forEachRemaining(results::add);
                scan.close();
                return QueryResponse.newBuilder().addAllResults(results).setHasMore(false)
                        .setId(UUID.randomUUID().toString())
                        .setMetadata(QueryResponseMetadata.newBuilder().setFetchedRecordsCount(results.size())
                                .setBookmark(scan.bookmark()).build().toByteString())
                        .build().toByteString();
            }
            var id = UUID.randomUUID().toString();
            queries.put(id, iterator);
            return nextBatch(id);
        }

        private ByteString history(String key) {
            var id = UUID.randomUUID().toString();
            queries.put(id, simulator.history(chaincodeName, key).stream().map(h -> QueryResultBytes.newBuilder()
                    .setResultBytes(KeyModification.newBuilder().setTxId(h.txId()).setValue(h.value())
                            .setTimestamp(h.timestamp()).setIsDelete(h.isDelete()).build().toByteString())
                    .build()).iterator());
            return nextBatch(id);
        }

        private ByteString nextBatch(String id) {
            var iterator = queries.get(id);
            if (iterator == null) {
                throw new IllegalStateException("query iterator not found: " + id);
            }
            var response = QueryResponse.newBuilder().setId(id);
            for (int i = 0; i < QUERY_BATCH && iterator.hasNext(); i++) {
                response.addResults(iterator.next());
            }
            boolean more = iterator.hasNext();
            if (!more) {
                queries.remove(id);
            }
            return response.setHasMore(more).build().toByteString();
        }

        private void requirePublic(String collection) {
            if (!collection.isEmpty()) {
                throw new UnsupportedOperationException("devnet has no private data collections (collection " + collection + ")");
            }
        }
    }
}
