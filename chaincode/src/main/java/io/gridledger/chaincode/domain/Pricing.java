package io.gridledger.chaincode.domain;

import java.math.BigInteger;

/**
 * Exact integer arithmetic of prices, costs and fees. Credits are indivisible integers; rounding is always
 * stated: costs round up (a provider is never underpaid by rounding), fees round down.
 */
public final class Pricing {

    public static final long MAX_UNIT_PRICE = 1_000_000_000_000L;

    private Pricing() {
    }

    /**
     * Credits for running {@code microUnits} µRU for {@code seconds} at {@code unitPrice} credits per RU-second:
     * {@code ceil(unitPrice × microUnits × seconds / 1,000,000)}.
     *
     * @throws Rejection when the result does not fit the credit range
     */
    public static long cost(long unitPrice, long microUnits, long seconds) {
        var product = BigInteger.valueOf(unitPrice)
                .multiply(BigInteger.valueOf(microUnits))
                .multiply(BigInteger.valueOf(seconds));
        var micro = BigInteger.valueOf(ResourceUnits.MICRO);
        var result = product.add(micro).subtract(BigInteger.ONE).divide(micro);
        if (result.compareTo(BigInteger.valueOf(Params.MAX_CREDITS)) > 0) {
            throw Rejection.invalid("cost " + result + " exceeds the credit range; lower the price, resources or timeout");
        }
        return result.longValueExact();
    }

    /** The consortium fee on {@code amount}: {@code floor(amount × basisPoints / 10000)}. */
    public static long fee(long amount, int basisPoints) {
        return BigInteger.valueOf(amount).multiply(BigInteger.valueOf(basisPoints))
                .divide(BigInteger.valueOf(10_000)).longValueExact();
    }

    /** The share of {@code stake} lost to one slashing: {@code floor(stake × basisPoints / 10000)}. */
    public static long slash(long stake, int basisPoints) {
        return fee(stake, basisPoints);
    }
}
