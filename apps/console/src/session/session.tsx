import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { ApiClient } from '../api/api-client';
import type { Schemas } from '../api/api-schemas';

/** GET /me: the API key's name and role. */
export type Principal = Schemas['Principal'];

interface StoredSession {
  apiKey: string;
  principal: Principal;
}

interface SessionValue {
  principal: Principal | null;
  api: ApiClient | null;
  signIn(apiKey: string): Promise<Principal>;
  signOut(): void;
}

/**
 * sessionStorage, not localStorage: the key lives as long as the tab, is not shared with other tabs
 * and is gone when the browser closes. It is never put in a URL.
 */
const STORAGE_KEY = 'ledgerline.console.session';

function restore(): StoredSession | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as StoredSession) : null;
  } catch {
    return null;
  }
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<StoredSession | null>(restore);

  const signIn = useCallback(async (apiKey: string) => {
    const key = apiKey.trim();
    // GET /me answers who the key belongs to; a wrong key is a 401 the sign-in page shows.
    const principal = await new ApiClient(key).get<Principal>('/me');
    const stored = { apiKey: key, principal };
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    setSession(stored);
    return principal;
  }, []);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);

  const value = useMemo<SessionValue>(
    () => ({
      principal: session?.principal ?? null,
      api: session ? new ApiClient(session.apiKey) : null,
      signIn,
      signOut,
    }),
    [session, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The API client of a signed-in page (pages behind RequireRole are never shown signed out). */
export function useApiClient(): ApiClient {
  const { api } = useSession();
  if (!api) throw new Error('useApiClient needs a signed-in session');
  return api;
}
