package io.gridledger.chaincode.testing;

import org.hyperledger.fabric.shim.ledger.KeyValue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** A key and its committed value, as range queries return them. Values are copied in and out. */
final class LedgerKeyValue implements KeyValue {

    private final String key;
    private final byte[] value;

    LedgerKeyValue(String key, byte[] value) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = value.clone();
    }

    @Override
    public String getKey() {
        return key;
    }

    @Override
    public byte[] getValue() {
        return value.clone();
    }

    @Override
    public String getStringValue() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LedgerKeyValue that && key.equals(that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return key.replace("\u0000", "\\u0000") + "=" + getStringValue();
    }
}
