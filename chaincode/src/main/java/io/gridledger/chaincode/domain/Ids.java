package io.gridledger.chaincode.domain;

import java.util.regex.Pattern;

/** Syntax of the identifiers the contract accepts. One place, so every transaction agrees. */
public final class Ids {

    private static final Pattern ASSET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern MSP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("([0-9a-f]{2})+");
    private static final Pattern IMAGE_BY_DIGEST =
            Pattern.compile("[a-z0-9]+(?:[._/:-][a-z0-9]+)*@sha256:[0-9a-f]{64}");

    private Ids() {
    }

    public static boolean isMspId(String value) {
        return MSP_ID.matcher(value).matches();
    }

    public static boolean isSha256Hex(String value) {
        return value != null && SHA256_HEX.matcher(value).matches();
    }

    public static boolean isHex(String value) {
        return value != null && HEX.matcher(value).matches();
    }

    /** Offer, job and proposal ids: 1–128 characters, letters, digits and {@code . _ : -}. */
    public static String requireAssetId(String field, String value) {
        Rejection.require(value != null && ASSET_ID.matcher(value).matches(),
                field + " must be 1-128 characters of letters, digits and . _ : - (starting with a letter or digit), got '"
                        + value + "'");
        return value;
    }

    /** Container images must be pinned by digest: {@code name@sha256:<64 hex>}. */
    public static String requireImageByDigest(String field, String value) {
        Rejection.require(value != null && value.length() <= 512 && IMAGE_BY_DIGEST.matcher(value).matches(),
                field + " must be pinned by digest (name@sha256:<64 lowercase hex>), got '" + value + "'");
        return value;
    }

    public static String requireSha256(String field, String value) {
        Rejection.require(isSha256Hex(value), field + " must be a SHA-256 as 64 lowercase hex characters, got '" + value + "'");
        return value;
    }
}
