package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.shim.Chaincode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What a transaction run on a {@link TestLedger} produced: the chaincode response, the event it set, its write
 * set, and whether the write set was committed.
 *
 * <p>For a failed transaction the contract router answers status 500; when the contract threw
 * {@code new ChaincodeException(message, ErrorCode.X.name())} the response message is {@code message} and the
 * response payload is the UTF-8 of {@code "X"}, which {@link #errorCode()} returns. Any other exception becomes
 * message {@code "Unexpected error"} with no payload.
 *
 * <pre>{@code
 * TxResult result = ledger.submit(alice, "Market:placeOffer", json);
 * assertThat(result.ok()).as(result.toString()).isTrue();
 * TxResult rejected = ledger.submit(bob, "Market:cancelOffer", offerId);
 * assertThat(rejected.errorCode()).isEqualTo("FORBIDDEN");
 * }</pre>
 *
 * @param txId                      the transaction id
 * @param status                    the chaincode response status (200 success, 500 error)
 * @param payload                   the response payload decoded as UTF-8 ({@code ""} if none)
 * @param message                   the response message ({@code ""} if none)
 * @param event                     the chaincode event, only for a successful transaction (the peer drops the
 *                                  event of a failed one); the last {@code setEvent} wins
 * @param writes                    the simulated write set in key order: a value, or empty for a delete. Present
 *                                  even when the transaction failed or was only evaluated, so tests can see what
 *                                  was <em>not</em> committed
 * @param validationParameterWrites the key-level endorsement policies the transaction set, in key order
 * @param committed                 whether the write set was applied to the ledger
 */
public record TxResult(String txId,
                       int status,
                       String payload,
                       String message,
                       Optional<EmittedEvent> event,
                       SortedMap<String, Optional<byte[]>> writes,
                       SortedMap<String, byte[]> validationParameterWrites,
                       boolean committed) {

    public TxResult {
        Objects.requireNonNull(txId, "txId");
        payload = payload == null ? "" : payload;
        message = message == null ? "" : message;
        Objects.requireNonNull(event, "event");
        writes = copyWrites(Objects.requireNonNull(writes, "writes"));
        validationParameterWrites = copyParameters(
                Objects.requireNonNull(validationParameterWrites, "validationParameterWrites"));
    }

    static TxResult of(FakeChaincodeStub stub, Chaincode.Response response, boolean committed) {
        int status = response.getStatusCode();
        var payloadBytes = response.getPayload();
        var chaincodeEvent = stub.getEvent();
        Optional<EmittedEvent> event = isSuccess(status) && chaincodeEvent != null
                ? Optional.of(new EmittedEvent(chaincodeEvent.getEventName(), chaincodeEvent.getPayload().toByteArray()))
                : Optional.empty();
        return new TxResult(stub.getTxId(), status,
                payloadBytes == null ? "" : new String(payloadBytes, StandardCharsets.UTF_8),
                response.getMessage(), event, stub.rawWrites(), stub.rawValidationParameterWrites(), committed);
    }

    static TxResult rejectedByPeer(String txId, String message) {
        return new TxResult(txId, 500, "", message, Optional.empty(), new TreeMap<>(), new TreeMap<>(), false);
    }

    /** Whether the chaincode succeeded: the peer endorses any status in [200, 400). */
    public boolean ok() {
        return isSuccess(status);
    }

    /**
     * The error code of a failed transaction: the response payload, where the shim puts the second argument of
     * {@code ChaincodeException(String message, String payload)}. {@code ""} for a successful transaction or an
     * error without payload.
     */
    public String errorCode() {
        return ok() ? "" : payload;
    }

    @Override
    public SortedMap<String, Optional<byte[]>> writes() {
        return copyWrites(writes);
    }

    @Override
    public SortedMap<String, byte[]> validationParameterWrites() {
        return copyParameters(validationParameterWrites);
    }

    /** The value this transaction wrote to {@code key}: empty if it did not write it or deleted it. */
    public Optional<byte[]> written(String key) {
        var write = writes.get(key);
        return write == null ? Optional.empty() : write.map(byte[]::clone);
    }

    /** Whether this transaction deleted {@code key}. */
    public boolean deleted(String key) {
        var write = writes.get(key);
        return write != null && write.isEmpty();
    }

    /**
     * Hex SHA-256 over the write set and the validation parameter writes, in key order. Two transactions have the
     * same digest exactly when their write sets are byte-identical, which is what endorsing peers must agree on.
     */
    public String writeSetDigest() {
        return digest(writes, validationParameterWrites);
    }

    static boolean isSuccess(int status) {
        return status >= 200 && status < 400;
    }

    static String digest(Map<String, Optional<byte[]>> writes, Map<String, byte[]> validationParameterWrites) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            var ordered = new TreeMap<String, Optional<byte[]>>(KeyOrder.INSTANCE);
            ordered.putAll(writes);
            for (var write : ordered.entrySet()) {
                sha.update((byte) 'W');
                updateLengthPrefixed(sha, write.getKey().getBytes(StandardCharsets.UTF_8));
                if (write.getValue().isPresent()) {
                    sha.update((byte) 1);
                    updateLengthPrefixed(sha, write.getValue().get());
                } else {
                    sha.update((byte) 0);
                }
            }
            var orderedParameters = new TreeMap<String, byte[]>(KeyOrder.INSTANCE);
            orderedParameters.putAll(validationParameterWrites);
            for (var parameter : orderedParameters.entrySet()) {
                sha.update((byte) 'P');
                updateLengthPrefixed(sha, parameter.getKey().getBytes(StandardCharsets.UTF_8));
                updateLengthPrefixed(sha, parameter.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void updateLengthPrefixed(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static SortedMap<String, Optional<byte[]>> copyWrites(Map<String, Optional<byte[]>> writes) {
        var copy = new TreeMap<String, Optional<byte[]>>(KeyOrder.INSTANCE);
        writes.forEach((key, value) -> copy.put(key, value.map(byte[]::clone)));
        return Collections.unmodifiableSortedMap(copy);
    }

    private static SortedMap<String, byte[]> copyParameters(Map<String, byte[]> parameters) {
        var copy = new TreeMap<String, byte[]>(KeyOrder.INSTANCE);
        parameters.forEach((key, value) -> copy.put(key, value.clone()));
        return Collections.unmodifiableSortedMap(copy);
    }

    @Override
    public String toString() {
        var writeList = new StringJoiner(", ", "[", "]");
        writes.forEach((key, value) -> writeList.add(printable(key)
                + value.map(bytes -> "=" + abbreviate(new String(bytes, StandardCharsets.UTF_8))).orElse(" deleted")));
        var parameterList = new StringJoiner(", ", "[", "]");
        validationParameterWrites.keySet().forEach(key -> parameterList.add(printable(key)));
        return "TxResult[txId=" + txId + ", status=" + status
                + (message.isEmpty() ? "" : ", message=" + message)
                + (payload.isEmpty() ? "" : ", payload=" + abbreviate(payload))
                + event.map(e -> ", event=" + e.name()).orElse("")
                + ", committed=" + committed
                + ", writes=" + writeList
                + (validationParameterWrites.isEmpty() ? "" : ", validationParameterWrites=" + parameterList)
                + "]";
    }

    private static String printable(String key) {
        return key.replace("\u0000", "\\u0000");
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
