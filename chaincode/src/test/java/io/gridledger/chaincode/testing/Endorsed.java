package io.gridledger.chaincode.testing;

/**
 * A proposal endorsed on a {@link TestLedger} but not committed yet: its result and its simulation, which
 * {@link TestLedger#commit(Endorsed)} validates against the state as it is when committed (MVCC and phantom reads).
 */
public record Endorsed(TxResult result, FakeChaincodeStub stub) {
}
