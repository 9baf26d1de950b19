package io.gridledger.ledger.fabric;

import com.google.protobuf.InvalidProtocolBufferException;
import io.gridledger.ledger.CommittedTransaction;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockMetadataIndex;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;

/**
 * Reads one endorser transaction out of a block as Fabric stores it: the envelope whose channel header has the tx id,
 * its validation code from the block's transactions filter, the invoked function (the first argument of the chaincode
 * invocation, without the contract's name) and each endorsement's signer (MSP ID and certificate subject).
 */
final class BlockTransactions {

    private BlockTransactions() {
    }

    /** The transaction {@code txId} of {@code block}; IllegalArgumentException when the block does not hold it. */
    static CommittedTransaction find(Block block, String txId) throws InvalidProtocolBufferException {
        var filter = block.getMetadata().getMetadataCount() > BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE
                ? block.getMetadata().getMetadata(BlockMetadataIndex.TRANSACTIONS_FILTER_VALUE) : null;
        var envelopes = block.getData().getDataList();
        for (int i = 0; i < envelopes.size(); i++) {
            var payload = Payload.parseFrom(Envelope.parseFrom(envelopes.get(i)).getPayload());
            var header = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            if (!header.getTxId().equals(txId)) {
                continue;
            }
            String validation = "UNKNOWN";
            if (filter != null && i < filter.size()) {
                int code = filter.byteAt(i) & 0xff;
                var known = TxValidationCode.forNumber(code);
                validation = known == null ? "UNKNOWN_" + code : known.name();
            }
            var function = "";
            var endorsers = new ArrayList<CommittedTransaction.Endorser>();
            var transaction = Transaction.parseFrom(payload.getData());
            if (transaction.getActionsCount() > 0) {
                var action = ChaincodeActionPayload.parseFrom(transaction.getActions(0).getPayload());
                var proposal = ChaincodeProposalPayload.parseFrom(action.getChaincodeProposalPayload());
                var args = ChaincodeInvocationSpec.parseFrom(proposal.getInput()).getChaincodeSpec().getInput().getArgsList();
                if (!args.isEmpty()) {
                    var name = args.get(0).toStringUtf8();
                    function = name.substring(name.indexOf(':') + 1);
                }
                for (var endorsement : action.getAction().getEndorsementsList()) {
                    var identity = SerializedIdentity.parseFrom(endorsement.getEndorser());
                    endorsers.add(new CommittedTransaction.Endorser(identity.getMspid(), subject(identity.getIdBytes().toByteArray())));
                }
            }
            return new CommittedTransaction(txId, block.getHeader().getNumber(), validation, function, endorsers,
                    header.getTimestamp().getSeconds());
        }
        throw new IllegalArgumentException("block " + block.getHeader().getNumber() + " does not hold transaction " + txId);
    }

    private static String subject(byte[] pem) {
        try {
            var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem));
            return certificate.getSubjectX500Principal().getName();
        } catch (CertificateException | ClassCastException e) {
            return "";
        }
    }
}
