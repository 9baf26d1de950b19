package io.gridledger.devnet.network;

import com.google.protobuf.InvalidProtocolBufferException;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;

import java.util.ArrayList;
import java.util.List;

/** What a committed transaction carries, read back from its block through the Gateway SDK's block events. */
public final class CommittedTransactions {

    private CommittedTransactions() {
    }

    /** The orgs whose endorsements the committed transaction {@code status} carries, read from its block. */
    public static List<String> endorsingOrgs(Network channel, Status status) {
        try (var blocks = channel.newBlockEventsRequest().startBlock(status.getBlockNumber()).build().getEvents()) {
            for (var envelope : blocks.next().getData().getDataList()) {
                var payload = Payload.parseFrom(Envelope.parseFrom(envelope).getPayload());
                var header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
                if (header.getTxId().equals(status.getTransactionId())) {
                    var action = org.hyperledger.fabric.protos.peer.Transaction.parseFrom(payload.getData()).getActions(0);
                    var orgs = new ArrayList<String>();
                    for (var endorsement : ChaincodeActionPayload.parseFrom(action.getPayload()).getAction().getEndorsementsList()) {
                        orgs.add(SerializedIdentity.parseFrom(endorsement.getEndorser()).getMspid());
                    }
                    return orgs;
                }
            }
            throw new AssertionError("transaction " + status.getTransactionId() + " is not in block " + status.getBlockNumber());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("block " + status.getBlockNumber() + " does not parse", e);
        }
    }
}
