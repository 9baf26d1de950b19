package io.gridledger.gateway.dispatch;

/**
 * A record the dispatcher publishes: an {@link AssignmentMessage} on this org's assignments topic (keyed by provider
 * node, so one node's work stays in order) or a {@link JobEventMessage} on its job-events topic (keyed by job).
 */
public sealed interface DispatchMessage permits AssignmentMessage, JobEventMessage {

    enum Topic { ASSIGNMENTS, JOB_EVENTS }

    Topic topic();

    /** The record key: the node id for assignments, the job id for job events. */
    String key();
}
