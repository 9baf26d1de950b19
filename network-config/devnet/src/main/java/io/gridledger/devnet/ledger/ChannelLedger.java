package io.gridledger.devnet.ledger;

import io.gridledger.devnet.ledger.blocks.BlockStore;
import io.gridledger.devnet.ledger.blocks.Blocks;
import io.gridledger.devnet.ledger.state.WorldState;
import io.gridledger.devnet.msp.SigningIdentity;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One channel's ledger: the block store (the durable, hash-chained truth), the world state rebuilt from it, and
 * the commit path that turns an ordered batch of envelopes into a validated, signed, committed block.
 *
 * <p>Commits are serial (one orderer thread calls {@link #commit}); readers use the block store and state
 * concurrently. A block is durable on disk before its state is applied and before anyone is told it committed.
 */
public final class ChannelLedger implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelLedger.class);

    private final String channelId;
    private final BlockStore blocks;
    private final WorldState state = new WorldState();
    private final BlockValidator validator;
    private final SigningIdentity orderer;
    /** Callers waiting for a transaction's status, by transaction id; each caller has its own future. */
    private final Map<String, Set<CompletableFuture<TxStatus>>> waiting = new ConcurrentHashMap<>();

    private ChannelLedger(String channelId, BlockStore blocks, BlockValidator validator, SigningIdentity orderer) {
        this.channelId = channelId;
        this.blocks = blocks;
        this.validator = validator;
        this.orderer = orderer;
    }

    /**
     * Opens (or creates) the ledger in {@code dir}: an empty store gets {@code genesis} as block 0, an existing one
     * is verified and its valid transactions replayed into the world state.
     */
    public static ChannelLedger open(String channelId, Path dir, BlockValidator validator, SigningIdentity orderer,
                                     Supplier<Block> genesis) {
        BlockStore store;
        try {
            store = BlockStore.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the block store in " + dir, e);
        }
        var ledger = new ChannelLedger(channelId, store, validator, orderer);
        if (store.height() == 0) {
            var block = genesis.get();
            ledger.append(Blocks.withValidationCodes(block, List.of(TxValidationCode.VALID)));
        } else {
            long started = System.nanoTime();
            for (long n = 0; n < store.height(); n++) {
                ledger.state.commit(BlockValidator.replay(store.block(n).orElseThrow(), ledger.state));
            }
            log.info("channel {}: replayed {} blocks into the world state in {} ms", channelId, store.height(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return ledger;
    }

    public String channelId() {
        return channelId;
    }

    public WorldState state() {
        return state;
    }

    public BlockStore blocks() {
        return blocks;
    }

    public long height() {
        return blocks.height();
    }

    public boolean isCommitted(String txId) {
        return blocks.transaction(txId).isPresent();
    }

    public Optional<TxStatus> status(String txId) {
        return blocks.transaction(txId).map(l -> new TxStatus(l.validationCode(), l.blockNumber()));
    }

    /**
     * Completes when the transaction is committed (at once if it already is). Each call gets its own future; a caller
     * that gives up cancels it (or lets it time out with {@link CompletableFuture#orTimeout}), which forgets it, so
     * waits for transactions that never commit do not accumulate.
     */
    public CompletableFuture<TxStatus> commitStatus(String txId) {
        var future = new CompletableFuture<TxStatus>();
        waiting.compute(txId, (id, waiters) -> {
            var set = waiters != null ? waiters : ConcurrentHashMap.<CompletableFuture<TxStatus>>newKeySet();
            set.add(future);
            return set;
        });
        future.whenComplete((status, failure) -> {
            if (failure != null) {
                forget(txId, future);
            }
        });
        status(txId).ifPresent(s -> {
            forget(txId, future);
            future.complete(s);
        });
        return future;
    }

    /** How many transaction ids callers are waiting on (for monitoring). */
    public int awaitedTransactions() {
        return waiting.size();
    }

    private void forget(String txId, CompletableFuture<TxStatus> future) {
        waiting.computeIfPresent(txId, (id, waiters) -> {
            waiters.remove(future);
            return waiters.isEmpty() ? null : waiters;
        });
    }

    /** Cuts, validates, signs and commits one block of ordered envelopes. Called by the orderer thread only. */
    public synchronized Block commit(List<Envelope> envelopes) {
        long number = blocks.height();
        var block = Blocks.create(number, blocks.lastHeaderHash(), envelopes);
        block = Blocks.sign(block, orderer, 0);
        var validated = validator.validate(block, state, this::isCommitted);
        block = Blocks.withValidationCodes(block, validated.codes());
        append(block);
        state.commit(validated.updates());
        var codes = validated.codes();
        for (int i = 0; i < codes.size(); i++) {
            var txId = validated.txIds().get(i);
            var waiters = txId.isEmpty() ? null : waiting.remove(txId);
            if (waiters != null) {
                // A duplicate's status is that of the id's first, committed occurrence, as Fabric reports it.
                var status = codes.get(i) == TxValidationCode.DUPLICATE_TXID
                        ? status(txId).orElseThrow() : new TxStatus(codes.get(i), number);
                waiters.forEach(future -> future.complete(status));
            }
        }
        return block;
    }

    private void append(Block block) {
        try {
            blocks.append(block);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append block " + block.getHeader().getNumber(), e);
        }
    }

    @Override
    public void close() throws IOException {
        blocks.close();
    }
}
