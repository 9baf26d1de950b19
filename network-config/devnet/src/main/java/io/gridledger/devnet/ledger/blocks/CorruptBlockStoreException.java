package io.gridledger.devnet.ledger.blocks;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The block file is damaged somewhere other than a torn last write: a record that fails its checksum while later
 * records are intact, a block that does not chain to its predecessor, or bytes that are not a block. Devnet must not
 * serve or extend such a ledger; the message names the file, the block and the byte offset so an operator can look.
 */
public final class CorruptBlockStoreException extends IOException {

    private final long blockNumber;
    private final long offset;

    public CorruptBlockStoreException(Path file, long blockNumber, long offset, String reason) {
        super("block store " + file + " is corrupt at block " + blockNumber + " (byte offset " + offset + "): " + reason);
        this.blockNumber = blockNumber;
        this.offset = offset;
    }

    public CorruptBlockStoreException(Path file, long blockNumber, long offset, String reason, Throwable cause) {
        this(file, blockNumber, offset, reason);
        initCause(cause);
    }

    /** The number the damaged block has (or would have, by its position in the file). */
    public long blockNumber() {
        return blockNumber;
    }

    public long offset() {
        return offset;
    }
}
