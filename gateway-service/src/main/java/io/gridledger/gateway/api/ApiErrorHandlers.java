package io.gridledger.gateway.api;

import io.gridledger.gateway.auth.AccessDenied;
import io.gridledger.gateway.auth.RateLimited;
import io.gridledger.ledger.ContractRefusal;
import io.gridledger.ledger.LedgerException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every failure of the HTTP server becomes an {@link ApiError}: the API's own refusals, the ledger's, authorization,
 * rate limits ({@link Failure}), and what Micronaut answers itself — validation (400 with each field), malformed or
 * unknown JSON (400), unknown routes (404), methods (405), media types (415), oversize bodies (413), authentication
 * (401) — through {@link Processor}, which replaces Micronaut's error body. A 500 says only that it is one: no
 * exception text, no stack trace.
 *
 * <p>Expected refusals are logged at DEBUG, the ledger's unavailability as one WARN line, and only defects as errors
 * (by Micronaut, with the stack trace, in the log).
 */
final class ApiErrorHandlers {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandlers.class);

    private ApiErrorHandlers() {
    }

    /** Expected failures ({@link Failure#of}): answered, logged at DEBUG. */
    abstract static class Expected<E extends RuntimeException> implements ExceptionHandler<E, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, E e) {
            LOG.debug("{} {}: {}", request.getMethod(), request.getPath(), e.getMessage());
            return Failure.of(e).orElseThrow().response();
        }
    }

    @Singleton
    static final class ApiExceptions extends Expected<ApiException> {
    }

    @Singleton
    static final class AccessDeniedExceptions extends Expected<AccessDenied> {
    }

    @Singleton
    static final class RateLimitedExceptions extends Expected<RateLimited> {
    }

    /** The ledger's failures: a refusal is expected (DEBUG); the ledger failing is one WARN line, no stack trace. */
    @Singleton
    static final class LedgerExceptions implements ExceptionHandler<LedgerException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, LedgerException e) {
            if (e instanceof ContractRefusal) {
                LOG.debug("{} {}: refused: {}", request.getMethod(), request.getPath(), e.getMessage());
            } else {
                LOG.warn("{} {}: the ledger failed: {}", request.getMethod(), request.getPath(), e.getMessage());
            }
            return Failure.of(e).orElseThrow().response();
        }
    }

    /**
     * Validation failures, one detail per field, named as the client wrote it: {@code resources.cpuMillis},
     * {@code inputs[0].sha256}, {@code env[1BAD]}, or the query parameter ({@code pageSize}).
     */
    @Singleton
    @Replaces(io.micronaut.validation.exceptions.ConstraintExceptionHandler.class)
    static final class ConstraintViolations
            implements ExceptionHandler<jakarta.validation.ConstraintViolationException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, jakarta.validation.ConstraintViolationException e) {
            var details = e.getConstraintViolations().stream()
                    .map(v -> new ApiError.Detail(field(v.getPropertyPath()), v.getMessage()))
                    .sorted(java.util.Comparator.comparing(ApiError.Detail::field, java.util.Comparator.nullsFirst(String::compareTo)))
                    .toList();
            var message = "invalid request: " + details.stream().map(d -> d.field() + " " + d.reason())
                    .reduce((a, b) -> a + "; " + b).orElse("");
            LOG.debug("{} {}: {}", request.getMethod(), request.getPath(), message);
            return new Failure(HttpStatus.BAD_REQUEST, new ApiError("INVALID_ARGUMENT", message, details), null).response();
        }

        private static String field(jakarta.validation.Path path) {
            var nodes = new ArrayList<jakarta.validation.Path.Node>();
            path.forEach(nodes::add);
            var out = new StringBuilder();
            for (int i = 0; i < nodes.size(); i++) {
                var node = nodes.get(i);
                var kind = node.getKind();
                if (kind == jakarta.validation.ElementKind.METHOD || kind == jakarta.validation.ElementKind.CONSTRUCTOR
                        || kind == jakarta.validation.ElementKind.RETURN_VALUE) {
                    continue;
                }
                // the body parameter's own name is not part of the field; a query or path parameter's is
                if (kind == jakarta.validation.ElementKind.PARAMETER && i < nodes.size() - 1) {
                    continue;
                }
                if (node.isInIterable()) {
                    out.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
                }
                if (node.getName() != null && !node.getName().isEmpty() && kind != jakarta.validation.ElementKind.CONTAINER_ELEMENT) {
                    if (!out.isEmpty()) {
                        out.append('.');
                    }
                    out.append(node.getName());
                }
            }
            return out.toString();
        }
    }

    /** Micronaut's own error answers, as {@link ApiError}s. */
    @Singleton
    @Replaces(ErrorResponseProcessor.class)
    static final class Processor implements ErrorResponseProcessor<ApiError> {

        private static final Pattern UNKNOWN_PROPERTY = Pattern.compile("Unknown property \\[([^\\]]+)\\]");

        @Override
        @SuppressWarnings("unchecked")
        public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
            if (context.getRequest().getMethod() == HttpMethod.HEAD) {
                return (MutableHttpResponse<ApiError>) response;
            }
            var status = response.status();
            var details = new ArrayList<ApiError.Detail>();
            String message;
            if (status.getCode() >= 500) {
                message = "internal error";
            } else {
                var unknown = unknownProperty(context.getRootCause().orElse(null));
                if (unknown.isPresent()) {
                    // the error's path is a JSON pointer to the object holding it: /<body>/resources
                    var pointer = context.getErrors().stream().flatMap(e -> e.getPath().stream()).findFirst().orElse("");
                    var parts = java.util.Arrays.stream(pointer.split("/")).filter(p -> !p.isEmpty()).skip(1).toList();
                    var prefix = parts.isEmpty() ? "" : String.join(".", parts) + ".";
                    details.add(new ApiError.Detail(prefix + unknown.get(), "unknown field"));
                } else {
                    for (var error : context.getErrors()) {
                        error.getPath().ifPresent(path -> details.add(new ApiError.Detail(field(path), reason(path, error.getMessage()))));
                    }
                }
                message = message(status, context, details);
            }
            return response.body(new ApiError(Failure.codeFor(status), message, List.copyOf(details)))
                    .contentType(MediaType.APPLICATION_JSON_TYPE);
        }

        private static String message(HttpStatus status, ErrorContext context, List<ApiError.Detail> details) {
            return switch (status) {
                case UNAUTHORIZED -> "authentication required: Authorization: Bearer <API token or JWT>";
                case FORBIDDEN -> "this credential may not do that";
                case NOT_FOUND -> "no such resource";
                case METHOD_NOT_ALLOWED -> "method not allowed here";
                case UNSUPPORTED_MEDIA_TYPE -> "unsupported content type: send application/json";
                case REQUEST_ENTITY_TOO_LARGE -> "the request body is too large";
                default -> {
                    if (!details.isEmpty()) {
                        yield "invalid request: " + details.stream().map(d -> d.field() == null ? d.reason()
                                : d.field() + " " + d.reason()).reduce((a, b) -> a + "; " + b).orElse("");
                    }
                    yield context.getErrors().isEmpty() ? status.getReason() : clean(context.getErrors().get(0).getMessage());
                }
            };
        }

        /** {@code submit.request.resources.cpuMillis} → {@code resources.cpuMillis}: the method and body names go. */
        static String field(String path) {
            var parts = path.split("\\.");
            if (parts.length >= 3) {
                return String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
            }
            return parts[parts.length - 1];
        }

        private static String reason(String path, String message) {
            var prefix = path + ": ";
            return message.startsWith(prefix) ? message.substring(prefix.length()) : clean(message);
        }

        /** Micronaut's conversion messages, without the Java types and values they quote. */
        static String clean(String message) {
            if (message == null) {
                return "invalid request";
            }
            var unknown = UNKNOWN_PROPERTY.matcher(message);
            if (unknown.find()) {
                return "unknown field '" + unknown.group(1) + "'";
            }
            int due = message.indexOf("due to: ");
            var text = due >= 0 ? message.substring(due + 8) : message;
            return text.length() > 300 ? text.substring(0, 300) : text;
        }

        private static java.util.Optional<String> unknownProperty(@Nullable Throwable root) {
            for (var e = root; e != null; e = e.getCause()) {
                if (e.getMessage() != null) {
                    var matcher = UNKNOWN_PROPERTY.matcher(e.getMessage());
                    if (matcher.find()) {
                        return java.util.Optional.of(matcher.group(1));
                    }
                }
            }
            return java.util.Optional.empty();
        }
    }
}
