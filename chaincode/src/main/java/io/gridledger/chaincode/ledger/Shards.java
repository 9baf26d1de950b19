package io.gridledger.chaincode.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Picks which shard of a sharded value a transaction writes. The choice hashes the transaction id with
 * the value's id, so every endorser picks the same shard and concurrent transactions spread out.
 */
public final class Shards {

    private Shards() {
    }

    public static int pick(String txId, String id, int shards) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest((txId + "\u0000" + id).getBytes(StandardCharsets.UTF_8));
            int value = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
            return Math.floorMod(value, shards);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
