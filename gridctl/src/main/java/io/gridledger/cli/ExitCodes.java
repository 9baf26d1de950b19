package io.gridledger.cli;

/**
 * The exit codes gridctl returns, stable for scripts (documented in {@code gridctl --help} and the README).
 *
 * <pre>
 * 0  OK            the command did what was asked (jobs watch: the job COMPLETED or reached --until)
 * 1  ERROR         anything else: the gateway unreachable, an answer not understood, a 500
 * 2  USAGE         wrong options or arguments, no gateway URL or token configured
 * 3  AUTH          401/403: no, unknown, expired or forged token, or a scope the token lacks
 * 4  NOT_FOUND     404: no such job (or another partner's: the API does not tell them apart), offer, path
 * 5  INVALID       400, 409, 413, 415, 422: the request was refused as it stands (bad spec, wrong state, conflict)
 * 6  DIGEST        a downloaded result does not match X-Result-Digest or its manifest: nothing is kept
 * 7  UNAVAILABLE   429, 503: try again later (the gateway's Retry-After is printed)
 * 8  JOB_FAILED    jobs watch: the job ended FAILED
 * 9  JOB_CANCELLED jobs watch: the job ended CANCELLED
 * 10 TIMEOUT       jobs watch --timeout passed first
 * </pre>
 */
public final class ExitCodes {

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int AUTH = 3;
    public static final int NOT_FOUND = 4;
    public static final int INVALID = 5;
    public static final int DIGEST = 6;
    public static final int UNAVAILABLE = 7;
    public static final int JOB_FAILED = 8;
    public static final int JOB_CANCELLED = 9;
    public static final int TIMEOUT = 10;

    /** The help section listing them. */
    public static final String HELP = """
            Exit codes:
              0  ok (watch: the job COMPLETED or reached --until)
              1  error (gateway unreachable, unexpected answer)
              2  usage (bad options, no URL or token configured)
              3  authentication or authorization refused (401, 403)
              4  not found (404; also another partner's job)
              5  refused as invalid or conflicting (400, 409, 413, 415, 422)
              6  result digest mismatch (nothing kept)
              7  unavailable or rate limited (429, 503): retry later
              8  watch: the job FAILED
              9  watch: the job was CANCELLED
              10 watch: --timeout passed""";

    private ExitCodes() {
    }

    /** The exit code of a refused HTTP request. */
    public static int ofHttpStatus(int status) {
        return switch (status) {
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 400, 409, 413, 415, 422 -> INVALID;
            case 429, 503 -> UNAVAILABLE;
            default -> ERROR;
        };
    }
}
