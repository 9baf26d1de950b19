package io.gridledger.devnet.ledger.state;

import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRead;

/** The height at which a key was last written: block number and index of the transaction in the block. */
public record Version(long blockNum, long txNum) implements Comparable<Version> {

    public org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version toProto() {
        return org.hyperledger.fabric.protos.ledger.rwset.kvrwset.Version.newBuilder()
                .setBlockNum(blockNum).setTxNum(txNum).build();
    }

    /** The version a read recorded, or null when the key did not exist when it was read. */
    public static Version of(KVRead read) {
        return read.hasVersion() ? new Version(read.getVersion().getBlockNum(), read.getVersion().getTxNum()) : null;
    }

    @Override
    public int compareTo(Version other) {
        int byBlock = Long.compare(blockNum, other.blockNum);
        return byBlock != 0 ? byBlock : Long.compare(txNum, other.txNum);
    }
}
