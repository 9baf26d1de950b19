package io.gridledger.devnet.network;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.devnet.ledger.blocks.Envelopes;
import org.hyperledger.fabric.client.Network;
import org.hyperledger.fabric.client.Status;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

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
                if (Envelopes.txId(envelope).filter(status.getTransactionId()::equals).isPresent()) {
                    var orgs = new ArrayList<String>();
                    for (var endorsement : Envelopes.parse(envelope).action().endorsements()) {
                        orgs.add(SerializedIdentity.parseFrom(endorsement.getEndorser()).getMspid());
                    }
                    return orgs;
                }
            }
            throw new AssertionError("transaction " + status.getTransactionId() + " is not in block " + status.getBlockNumber());
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("an endorser of " + status.getTransactionId() + " is not a serialized identity", e);
        }
    }
}
