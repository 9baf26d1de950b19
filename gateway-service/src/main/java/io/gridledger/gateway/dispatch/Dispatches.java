package io.gridledger.gateway.dispatch;

import io.gridledger.ledger.ChaincodeEvent;

import java.util.ArrayList;
import java.util.List;

/** What one chaincode event means for this org's Kafka: its provider nodes' assignments and every job change. */
public final class Dispatches {

    private Dispatches() {
    }

    /**
     * The records to publish for {@code event} as seen by the gateway of {@code mspId}: each assignment to a node of
     * that org ({@code <MSP ID>/<CN>}), then one job event per job the transaction changed.
     */
    public static List<DispatchMessage> of(ChaincodeEvent event, String mspId) {
        var messages = new ArrayList<DispatchMessage>();
        var payload = event.payload();
        for (var assignment : payload.assignments()) {
            if (assignment.nodeOrg().equals(mspId)) {
                messages.add(AssignmentMessage.of(assignment, event.txId(), event.blockNumber()));
            }
        }
        for (var jobId : payload.jobIds()) {
            messages.add(new JobEventMessage(jobId, event.name(), payload.statuses().get(jobId), payload.replica(),
                    event.txId(), event.blockNumber()));
        }
        return messages;
    }
}
