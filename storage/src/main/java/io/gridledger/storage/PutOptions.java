package io.gridledger.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How {@link ObjectStore#put} stores a stream: the content type, and what the caller already knows of the bytes.
 *
 * <p>A caller that knows the SHA-256 (the ledger's record of an input, say) or the length passes them: the store
 * checks the bytes against them while streaming and refuses a mismatch, leaving nothing stored.
 *
 * <pre>{@code
 * store.put(in, PutOptions.DEFAULT.expectingSha256(digest).withContentType("application/x-tar"));
 * }</pre>
 *
 * @param contentType    the media type to store the object with
 * @param expectedSha256 the digest the bytes must have, if known
 * @param expectedSize   the length the bytes must have, if known
 */
public record PutOptions(String contentType, Optional<Sha256> expectedSha256, OptionalLong expectedSize) {

    // type "/" subtype, then optional parameters: enough to refuse header injection and obvious mistakes.
    private static final Pattern MEDIA_TYPE =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*(\\s*;[\\x20-\\x7e]*)?");

    /** The content type of an object whose caller gave none. */
    public static final String OCTET_STREAM = "application/octet-stream";

    /** Octet stream, nothing expected. */
    public static final PutOptions DEFAULT = new PutOptions(OCTET_STREAM, Optional.empty(), OptionalLong.empty());

    public PutOptions {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(expectedSha256, "expectedSha256");
        Objects.requireNonNull(expectedSize, "expectedSize");
        if (!MEDIA_TYPE.matcher(contentType).matches()) {
            throw new IllegalArgumentException("not a media type such as application/octet-stream: \"" + contentType
                    + "\"");
        }
        if (expectedSize.isPresent() && expectedSize.getAsLong() < 0) {
            throw new IllegalArgumentException("expected size must not be negative: " + expectedSize.getAsLong());
        }
    }

    public PutOptions withContentType(String contentType) {
        return new PutOptions(contentType, expectedSha256, expectedSize);
    }

    public PutOptions expectingSha256(Sha256 sha256) {
        return new PutOptions(contentType, Optional.of(Objects.requireNonNull(sha256, "sha256")), expectedSize);
    }

    public PutOptions expectingSize(long size) {
        return new PutOptions(contentType, expectedSha256, OptionalLong.of(size));
    }
}
