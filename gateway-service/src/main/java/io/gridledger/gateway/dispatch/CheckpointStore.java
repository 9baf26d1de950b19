package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.EventCheckpoint;

import java.util.Optional;

/** Where the dispatcher remembers how far it got: the event after which it resumes. */
public interface CheckpointStore {

    Optional<EventCheckpoint> load();

    /** Durably: once this returns, a restart resumes after {@code checkpoint}. */
    void save(EventCheckpoint checkpoint);
}
