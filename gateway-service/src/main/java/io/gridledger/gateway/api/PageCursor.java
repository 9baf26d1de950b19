package io.gridledger.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Where a listing continues, handed to clients as an opaque string: the ledger's bookmark of the page to read, the
 * last item already returned from it, the filter it was made for (a cursor is only good for the same filter), and for
 * a listing that reads one ledger index after another (an org's jobs, client by client) the index it is in.
 */
@Serdeable
record PageCursor(@Nullable String bookmark, @Nullable String after, String filter, @Nullable String source) {

    static final PageCursor START = new PageCursor("", null, "");

    @io.micronaut.core.annotation.Creator
    PageCursor {
    }

    PageCursor(@Nullable String bookmark, @Nullable String after, String filter) {
        this(bookmark, after, filter, null);
    }

    String encode(JsonMapper json) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The cursor a client sent, checked: 400 when it is not one of ours or was made for another filter. */
    static PageCursor decode(@Nullable String cursor, String filter, JsonMapper json) {
        if (cursor == null || cursor.isEmpty()) {
            return new PageCursor("", null, filter);
        }
        PageCursor decoded;
        try {
            decoded = json.readValue(Base64.getUrlDecoder().decode(cursor), PageCursor.class);
        } catch (IllegalArgumentException | IOException e) {
            throw ApiException.invalid("cursor", "not a cursor this API returned");
        }
        if (decoded == null || !filter.equals(decoded.filter())) {
            throw ApiException.invalid("cursor", "made for another listing or filter; start again without a cursor");
        }
        return new PageCursor(decoded.bookmark() == null ? "" : decoded.bookmark(), decoded.after(), filter, decoded.source());
    }
}
