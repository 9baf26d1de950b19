package io.gridledger.chaincode.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The commit–reveal scheme: a node first publishes {@code SHA-256(digest ‖ salt)} (raw bytes of the hex
 * digest and salt, concatenated), and reveals {@code digest} and {@code salt} only when every replica has
 * committed, so no node can copy another's result. A job also refuses a commitment already used by one of
 * its replicas, so a node cannot copy a commitment and later replay the matching reveal.
 */
public final class Commitments {

    private static final HexFormat HEX = HexFormat.of();

    private Commitments() {
    }

    public static String commitment(String digestHex, String saltHex) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            sha.update(HEX.parseHex(digestHex));
            sha.update(HEX.parseHex(saltHex));
            return HEX.formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
