package io.gridledger.gateway.auth;

/** The caller is authenticated but may not do this (a scope it lacks, a role it does not have): HTTP 403. */
public final class AccessDenied extends RuntimeException {

    public AccessDenied(String message) {
        super(message);
    }

    /** Throws unless {@code caller} has {@code scope}. */
    public static void requireScope(Caller caller, Scope scope) {
        if (!caller.has(scope)) {
            throw new AccessDenied("this credential lacks the scope " + scope.value());
        }
    }

    /**
     * Throws unless {@code caller} has the admin scope and acts as the org admin identity; answers that identity, the
     * one the admin's ledger reads and transactions are signed as.
     */
    public static String requireAdmin(Caller caller, String adminIdentity) {
        requireScope(caller, Scope.ADMIN);
        if (!caller.identity().equals(adminIdentity)) {
            throw new AccessDenied("the admin role acts only as the org admin identity");
        }
        return caller.identity();
    }
}
