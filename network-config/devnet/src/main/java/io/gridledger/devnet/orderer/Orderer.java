package io.gridledger.devnet.orderer;

import io.gridledger.devnet.ledger.ChannelLedger;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import io.gridledger.devnet.ledger.blocks.MalformedTransactionException;
import io.gridledger.devnet.ledger.blocks.ParsedTransaction;
import io.gridledger.devnet.msp.Identity;
import io.gridledger.devnet.msp.IdentityDeserializer;
import io.gridledger.devnet.msp.InvalidIdentityException;
import io.gridledger.devnet.policy.ChannelPolicies;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The ordering service of a devnet channel: {@link #broadcast} checks an envelope as Fabric's orderer does
 * (well-formed, for this channel, within the size limit, signed by a channel identity) and queues it; one thread
 * cuts blocks by {@link BatchSettings} and hands each batch to the channel ledger, which validates and commits it.
 */
public final class Orderer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Orderer.class);
    /** Queued last by {@link #close()}, compared by identity: the cutter commits what precedes it, then stops. */
    private static final Envelope STOP = Envelope.newBuilder().build();

    private final ChannelLedger ledger;
    private final IdentityDeserializer msps;
    private final ChannelPolicies policies;
    private final BatchSettings settings;
    private final LinkedBlockingQueue<Envelope> pending = new LinkedBlockingQueue<>();
    private final Thread cutter;
    /** Guards {@link #running} and the queueing of envelopes, so that nothing is queued after {@link #STOP}. */
    private final Object lifecycle = new Object();
    private boolean running = true;
    private String halted; // why the orderer stopped on a failed commit; guarded by lifecycle
    /** The commit of the last block handed to the ledger (written by the cutter thread). */
    private volatile CompletableFuture<?> lastOrdered = CompletableFuture.completedFuture(null);

    public Orderer(ChannelLedger ledger, IdentityDeserializer msps, ChannelPolicies policies, BatchSettings settings) {
        this.ledger = ledger;
        this.msps = msps;
        this.policies = policies;
        this.settings = settings;
        this.cutter = new Thread(this::cutBlocks, "devnet-orderer-" + ledger.channelId());
        this.cutter.setDaemon(true);
        this.cutter.start();
    }

    public BroadcastResponse broadcast(Envelope envelope) {
        long size = envelope.getSerializedSize();
        if (size > settings.absoluteMaxBytes()) {
            return refuse(Status.BAD_REQUEST, "message payload is " + size + " bytes and exceeds maximum allowed "
                    + settings.absoluteMaxBytes() + " bytes");
        }
        try {
            var tx = Envelopes.parse(envelope);
            if (!ledger.channelId().equals(tx.channelId())) {
                return refuse(Status.NOT_FOUND, "channel creation request not allowed: unknown channel " + tx.channelId());
            }
            var denied = policies.evaluationFailure(ChannelPolicies.CHANNEL_WRITERS, writer(tx));
            if (denied.isPresent()) {
                // Fabric's SigFilter: the policy's own words, wrapping msgprocessor.ErrPermissionDenied.
                return refuse(Status.FORBIDDEN, denied.get() + ": permission denied");
            }
        } catch (MalformedTransactionException e) {
            return refuse(Status.BAD_REQUEST, e.getMessage());
        }
        synchronized (lifecycle) {
            if (halted != null) {
                return refuse(Status.SERVICE_UNAVAILABLE, "the orderer has halted: " + halted);
            }
            if (!running) {
                return refuse(Status.SERVICE_UNAVAILABLE, "the orderer is shutting down");
            }
            pending.add(envelope);
        }
        return BroadcastResponse.newBuilder().setStatus(Status.SUCCESS).build();
    }

    /** The envelope's creator if it is a channel member whose signature verifies; nobody otherwise. */
    private List<Identity> writer(ParsedTransaction tx) {
        try {
            var creator = msps.deserialize(tx.creator());
            return creator.verify(tx.payloadBytes().toByteArray(), tx.signature().toByteArray()) ? List.of(creator) : List.of();
        } catch (InvalidIdentityException e) {
            log.warn("broadcast by a creator no channel MSP reads: {}", e.getMessage());
            return List.of();
        }
    }

    private static BroadcastResponse refuse(Status status, String info) {
        return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
    }

    /**
     * Fabric's block cutting: block (no timeout, no polling) until the first envelope of a batch arrives, then collect
     * until the batch reaches its message count or preferred size, or until its batch timeout has passed since that
     * first envelope. An envelope that would push the batch past the preferred size starts the next batch.
     */
    private void cutBlocks() {
        try {
            boolean stopping = false;
            while (!stopping) {
                var first = pending.take();
                if (first == STOP) {
                    return;
                }
                var batch = new ArrayList<Envelope>();
                batch.add(first);
                long bytes = first.getSerializedSize();
                long deadline = System.nanoTime() + settings.timeout().toNanos();
                while (batch.size() < settings.maxMessageCount() && bytes < settings.preferredMaxBytes()) {
                    long wait = deadline - System.nanoTime();
                    var next = wait > 0 ? pending.poll(wait, TimeUnit.NANOSECONDS) : null;
                    if (next == null) {
                        break;
                    }
                    if (next == STOP) {
                        stopping = true;
                        break;
                    }
                    if (bytes + next.getSerializedSize() > settings.preferredMaxBytes()) {
                        if (!commit(batch)) {
                            return;
                        }
                        batch = new ArrayList<>();
                        bytes = 0;
                        deadline = System.nanoTime() + settings.timeout().toNanos();
                    }
                    batch.add(next);
                    bytes += next.getSerializedSize();
                }
                if (!commit(batch)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Hands a batch to the ledger, which numbers and signs it now and validates and commits it on its own thread;
     * false when the ledger has already failed (the block store could not write, say). A failed commit halts the
     * orderer, as a Fabric node stops on a ledger write failure: it refuses new envelopes rather than go on past a
     * block it could not keep. What is on disk stays consistent, and a restarted devnet continues from the last
     * stored block.
     */
    private boolean commit(List<Envelope> batch) {
        if (batch.isEmpty()) {
            return true;
        }
        var committed = ledger.order(batch);
        lastOrdered = committed;
        committed.whenComplete((block, failure) -> {
            if (failure != null) {
                halt(batch.size(), failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
            } else {
                log.debug("block {} committed with {} transactions", block.getHeader().getNumber(), batch.size());
            }
        });
        return !committed.isCompletedExceptionally();
    }

    private void halt(int transactions, Throwable cause) {
        synchronized (lifecycle) {
            if (halted != null) {
                return;
            }
            log.error("orderer halted: committing a block of {} transactions on channel {} failed; restart devnet to "
                    + "continue from the stored blocks", transactions, ledger.channelId(), cause);
            halted = "committing block " + ledger.height() + " failed: " + cause;
            running = false;
        }
        pending.clear();
    }

    /** Why the orderer halted, if it did. */
    public Optional<String> halted() {
        synchronized (lifecycle) {
            return Optional.ofNullable(halted);
        }
    }

    /** Stops accepting envelopes, commits the ones accepted (returns once they are), and stops the block cutter. */
    @Override
    public void close() throws InterruptedException {
        // Not interrupted, but woken by STOP: an interrupt during the block store's fsync would close its file channel.
        synchronized (lifecycle) {
            if (running) {
                running = false;
                pending.add(STOP);
            }
        }
        cutter.join(10_000);
        try {
            lastOrdered.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("the last block ordered before closing did not commit: {}", e.toString());
        }
    }
}
