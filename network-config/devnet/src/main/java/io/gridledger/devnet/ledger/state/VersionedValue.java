package io.gridledger.devnet.ledger.state;

import com.google.protobuf.ByteString;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A key's committed value with the version that wrote it and its metadata entries (for example the key-level
 * endorsement policy under {@code VALIDATION_PARAMETER}).
 */
public record VersionedValue(ByteString value, Version version, SortedMap<String, ByteString> metadata) {

    public static final String VALIDATION_PARAMETER = "VALIDATION_PARAMETER";

    public VersionedValue {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
        metadata = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    }

    public static VersionedValue of(ByteString value, Version version, Map<String, ByteString> metadata) {
        return new VersionedValue(value, version, new TreeMap<>(metadata));
    }

    /** The key-level endorsement policy bytes, if the key has one. */
    public java.util.Optional<ByteString> validationParameter() {
        return java.util.Optional.ofNullable(metadata.get(VALIDATION_PARAMETER));
    }
}
