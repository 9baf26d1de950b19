import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { apiFetch } from '../api/client';
import type { TokenView } from '../api/types';

/** The signed-in admin's token. Kept in sessionStorage only: it dies with the tab, never in localStorage. */
const STORAGE_KEY = 'gridledger.console.token';

export interface Session {
  token: string | null;
  signIn: (token: string) => Promise<void>;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Proves a token is an admin's: `GET /admin/tokens` needs the admin scope and the org admin identity, and reads no
 * ledger, so a refusal (401 unknown/expired, 403 not admin) says exactly what is wrong with the token.
 */
export async function validateAdminToken(token: string): Promise<void> {
  await apiFetch<TokenView[]>('/admin/tokens', token);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(STORAGE_KEY));

  const signIn = useCallback(async (candidate: string) => {
    const trimmed = candidate.trim();
    await validateAdminToken(trimmed);
    sessionStorage.setItem(STORAGE_KEY, trimmed);
    setToken(trimmed);
  }, []);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setToken(null);
  }, []);

  const value = useMemo(() => ({ token, signIn, signOut }), [token, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) {
    throw new Error('useSession outside SessionProvider');
  }
  return session;
}

/** The token of a signed-in admin (pages behind the sign-in only). */
export function useToken(): string {
  const { token } = useSession();
  if (!token) {
    throw new Error('not signed in');
  }
  return token;
}
