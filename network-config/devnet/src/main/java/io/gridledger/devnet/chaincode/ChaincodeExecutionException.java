package io.gridledger.devnet.chaincode;

/**
 * The chaincode could not run the invocation to completion: it sent ERROR, its stream ended, or it timed out.
 * (A chaincode that completes with an error status is not an exception: that is a {@link ChaincodeResult}.)
 */
public final class ChaincodeExecutionException extends Exception {

    /** Fabric's suffix for an invocation whose chaincode stream broke; the gateway retries elsewhere on it. */
    public static final String STREAM_TERMINATED = "chaincode stream terminated";

    public ChaincodeExecutionException(String message) {
        super(message);
    }
}
