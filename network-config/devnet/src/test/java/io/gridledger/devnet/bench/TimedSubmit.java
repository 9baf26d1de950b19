package io.gridledger.devnet.bench;

import org.hyperledger.fabric.client.Contract;
import org.hyperledger.fabric.client.EndorseException;
import org.hyperledger.fabric.client.GatewayException;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

import java.util.Set;

/**
 * Submits a transaction through the Gateway SDK as an application does ({@code newProposal → endorse →
 * submitAsync → getStatus}) and records when each stage ended.
 */
final class TimedSubmit {

    /** Codes after which the same transaction, proposed again, can succeed: it read state that changed meanwhile. */
    static final Set<TxValidationCode> RETRYABLE = Set.of(TxValidationCode.MVCC_READ_CONFLICT, TxValidationCode.PHANTOM_READ_CONFLICT);
    static final int MAX_ATTEMPTS = 20;

    /** A transaction committed with a code other than VALID that retrying does not cure. */
    static final class InvalidTransactionException extends Exception {
        InvalidTransactionException(String type, TxValidationCode code, int attempts) {
            super(type + " committed as " + code + " after " + attempts + " attempt(s)");
        }
    }

    /** One attempt and the chaincode's result. */
    record Submitted(TxSamples.Attempt attempt, byte[] result) {
    }

    private TimedSubmit() {
    }

    static Submitted once(Contract contract, String type, String... args) throws GatewayException {
        long start = System.nanoTime();
        var transaction = contract.newProposal(type).addArguments(args).build().endorse();
        long endorsed = System.nanoTime();
        var commit = transaction.submitAsync();
        long submitted = System.nanoTime();
        var status = commit.getStatus();
        long end = System.nanoTime();
        return new Submitted(new TxSamples.Attempt(type, start, endorsed, submitted, end, status.getCode()), transaction.getResult());
    }

    /**
     * Whether the endorsers disagreed: they simulated at different heights, a block having changed what the
     * transaction reads in between. Fabric's gateway fails such a proposal the same way; proposing it again can work.
     */
    static boolean endorsersDisagreed(EndorseException e) {
        return e.getDetails().stream().anyMatch(d -> d.getMessage().contains("ProposalResponsePayloads do not match"));
    }

    /**
     * Submits until the transaction commits VALID, proposing it again after an MVCC or phantom read conflict or
     * endorsers' disagreement (as a client must), recording every attempt and disagreement; returns the chaincode's
     * result.
     */
    static byte[] untilValid(TxSamples samples, Contract contract, String type, String... args)
            throws GatewayException, InvalidTransactionException {
        for (int attempt = 1; ; attempt++) {
            Submitted submitted;
            try {
                submitted = once(contract, type, args);
            } catch (EndorseException e) {
                if (!endorsersDisagreed(e) || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                samples.fail(type, e);
                continue;
            }
            samples.add(submitted.attempt());
            var code = submitted.attempt().code();
            if (code == TxValidationCode.VALID) {
                return submitted.result();
            }
            if (!RETRYABLE.contains(code) || attempt == MAX_ATTEMPTS) {
                throw new InvalidTransactionException(type, code, attempt);
            }
        }
    }
}
