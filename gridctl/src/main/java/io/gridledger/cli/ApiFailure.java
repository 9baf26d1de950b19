package io.gridledger.cli;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A request the gateway refused: its HTTP status and the API's error body ({@code code}, {@code message},
 * {@code details[]} of {@code field}/{@code reason}), or a failure before any answer (status 0).
 */
public final class ApiFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One entry of the error body's {@code details}. */
    public record Detail(String field, String reason) {
    }

    private final int status;
    private final String code;
    private final List<Detail> details;
    private final String rawBody;
    private final String retryAfter;

    public ApiFailure(int status, String code, String message, List<Detail> details, String rawBody, String retryAfter) {
        super(message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.details = List.copyOf(details);
        this.rawBody = rawBody;
        this.retryAfter = retryAfter;
    }

    /** A failure of gridctl's own (no HTTP answer), with the exit code it ends with. */
    public static ApiFailure local(String code, String message, int exitCode) {
        return new ApiFailure(-exitCode, code, message, List.of(), null, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<Detail> details() {
        return details;
    }

    /** The error body as the gateway sent it, for {@code --output json}. */
    public Optional<String> rawBody() {
        return Optional.ofNullable(rawBody);
    }

    /** For {@code --output json}: the gateway's error body, or gridctl's own failure in the same shape. */
    public String toJson() {
        if (rawBody != null) {
            return rawBody;
        }
        var body = GatewayClient.JSON.createObjectNode().put("code", code).put("message", getMessage());
        var list = body.putArray("details");
        details.forEach(d -> list.addObject().put("field", d.field()).put("reason", d.reason()));
        return body.toString();
    }

    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public int exitCode() {
        return status < 0 ? -status : ExitCodes.ofHttpStatus(status);
    }

    /** What a person reads: {@code error: 404 NOT_FOUND: job j-… not found} then one line per detail. */
    public String describe() {
        var text = new StringBuilder("error: ");
        if (status > 0) {
            text.append(status).append(' ');
        }
        text.append(code).append(": ").append(getMessage());
        for (var detail : details) {
            text.append(System.lineSeparator()).append("  - ");
            if (detail.field() != null) {
                text.append(detail.field()).append(": ");
            }
            text.append(detail.reason());
        }
        if (retryAfter != null) {
            text.append(System.lineSeparator()).append("  retry after ").append(retryAfter).append(" s");
        }
        if (status == 401) {
            text.append(System.lineSeparator()).append("  check the token (--token, GRIDCTL_TOKEN or the config file)");
        }
        return text.toString();
    }
}
