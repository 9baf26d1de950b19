package io.gridledger.devnet.ledger;

import io.gridledger.devnet.ledger.state.StateSnapshot;
import io.gridledger.devnet.ledger.state.WorldState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The world state as of a block height, kept beside the block store so that a restart replays only the blocks after
 * it instead of the whole chain (a Fabric peer keeps its state database and savepoint for the same reason). The
 * blocks stay the truth: a checkpoint is used only when it is whole (its CRC matches), not ahead of the store, and
 * was taken on this very chain (the header hash of its last block matches the stored block's); otherwise the state is
 * rebuilt from every block, as before. Written to a temporary file, forced, then renamed over the previous one, so a
 * crash leaves the old checkpoint or the new one, never half of one.
 */
final class StateCheckpoint {

    private static final Logger log = LoggerFactory.getLogger(StateCheckpoint.class);
    static final String FILE = "state.checkpoint";
    private static final long MAGIC = 0x474c_5354_4350_0001L; // "GLSTCP", format 1

    /** A loaded checkpoint: the state after blocks [0, height). */
    record Loaded(long height, WorldState state) {
    }

    private StateCheckpoint() {
    }

    /**
     * @param lastHeaderHash the header hash of block {@code height - 1}
     */
    static void write(Path dir, long height, byte[] lastHeaderHash, WorldState state) throws IOException {
        var file = dir.resolve(FILE);
        var temporary = dir.resolve(FILE + ".tmp");
        var crc = new CRC32();
        try (var channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var checked = new CheckedOutputStream(new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel),
                    1 << 16), crc);
            var out = new DataOutputStream(checked);
            out.writeLong(MAGIC);
            out.writeLong(height);
            out.writeInt(lastHeaderHash.length);
            out.write(lastHeaderHash);
            StateSnapshot.write(state, out);
            out.flush();
            out.writeLong(crc.getValue()); // not itself part of the sum
            out.flush();
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (var directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            log.debug("could not force directory {}: {}", dir, e.getMessage());
        }
    }

    /**
     * The checkpoint in {@code dir} if it is usable with a store of {@code storeHeight} blocks whose header hashes
     * {@code headerHash} gives; empty (and why, logged) otherwise.
     */
    static Optional<Loaded> read(Path dir, long storeHeight, java.util.function.LongFunction<byte[]> headerHash) {
        var file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        var crc = new CRC32();
        try (var in = new DataInputStream(new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), crc))) {
            if (in.readLong() != MAGIC) {
                return refuse(file, "it is not a state checkpoint of this format");
            }
            long height = in.readLong();
            int hashLength = in.readInt();
            if (hashLength < 0 || hashLength > 64) {
                return refuse(file, "its header is malformed");
            }
            var hash = in.readNBytes(hashLength);
            if (height < 1 || height > storeHeight) {
                return refuse(file, "it is of height " + height + " and the block store holds " + storeHeight + " blocks");
            }
            if (!Arrays.equals(hash, headerHash.apply(height - 1))) {
                return refuse(file, "block " + (height - 1) + " in the store is not the block it was taken after");
            }
            var state = StateSnapshot.read(in);
            long expected = crc.getValue();
            long stored = in.readLong();
            if (stored != expected) {
                return refuse(file, "its checksum does not match");
            }
            return Optional.of(new Loaded(height, state));
        } catch (IOException | RuntimeException e) {
            return refuse(file, "it could not be read (" + e.getMessage() + ")");
        }
    }

    private static Optional<Loaded> refuse(Path file, String why) {
        log.warn("ignoring the state checkpoint {}: {}; rebuilding the state from every block", file, why);
        return Optional.empty();
    }
}
