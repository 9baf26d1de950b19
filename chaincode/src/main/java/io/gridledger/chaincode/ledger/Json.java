package io.gridledger.chaincode.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.gridledger.chaincode.domain.Rejection;

import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The chaincode's one JSON codec: deterministic output, strict input.
 *
 * <p>Endorsing peers must write byte-identical values, so properties and map entries are sorted and
 * nulls are omitted. Input is strict: unknown fields, trailing tokens, duplicate keys, nulls for numbers
 * and floats where integers are expected are rejected with {@code INVALID_ARGUMENT} naming the field.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            // Only record components are state: derived predicates such as Job.isFinished() are not.
            .visibility(com.fasterxml.jackson.annotation.PropertyAccessor.IS_GETTER,
                    com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
            .build();

    private Json() {
    }

    public static byte[] toBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static String toJson(Object value) {
        return new String(toBytes(value), StandardCharsets.UTF_8);
    }

    /** Parses a request argument; any problem is the caller's and becomes {@code INVALID_ARGUMENT}. */
    public static <T> T parse(String what, String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw Rejection.invalid(what + " is required (JSON object)");
        }
        try {
            var value = MAPPER.readValue(json, type);
            if (value == null) {
                throw Rejection.invalid(what + " must be a JSON object, got null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw Rejection.invalid(what + ": unknown field '" + e.getPropertyName() + "' at " + path(e));
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            var cause = e.getCause();
            throw Rejection.invalid(what + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()));
        } catch (InvalidFormatException e) {
            throw Rejection.invalid(what + ": invalid value " + e.getValue() + " for " + path(e));
        } catch (MismatchedInputException e) {
            throw Rejection.invalid(what + ": wrong type or missing value at " + path(e) + ": " + withoutHints(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof Rejection rejection) {
                throw Rejection.invalid(what + ": " + rejection.getMessage());
            }
            throw Rejection.invalid(what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            // thrown by record constructors while validating
            throw Rejection.invalid(what + ": " + e.getMessage());
        }
    }

    /** Reads a value this chaincode wrote; a failure means corrupted state, not bad input. */
    public static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("corrupted ledger value for " + type.getSimpleName(), e);
        }
    }

    /** Drops Jackson's configuration advice ("(set DeserializationConfig…)"), which means nothing to a client. */
    private static String withoutHints(String message) {
        int hint = message.indexOf(" (set ");
        return hint < 0 ? message : message.substring(0, hint);
    }

    private static String path(MismatchedInputException e) {
        var path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "top level" : "'" + path + "'";
    }
}
