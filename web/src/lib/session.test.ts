import { describe, expect, it, vi } from 'vitest';
import { authFetch, SessionStore } from './session';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
const pair = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900, user: { email: 'ann@example.com' } });

describe('SessionStore', () => {
  it('refreshes once for concurrent callers when the token is about to expire', async () => {
    let now = 0;
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body));
      expect(body.variables.input.refreshToken).toBe('refresh-1');
      return json({ data: { refreshToken: pair(2) } });
    });
    const storage = memoryStorage();
    const store = new SessionStore(storage, fetchImpl as typeof fetch, '/graphql', () => now);
    store.signIn(pair(1));
    expect(await store.freshAccessToken()).toBe('access-1');
    expect(fetchImpl).not.toHaveBeenCalled();
    now = 850_000; // 50 s left: inside the refresh margin
    const [a, b] = await Promise.all([store.freshAccessToken(), store.freshAccessToken()]);
    expect([a, b]).toEqual(['access-2', 'access-2']);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(JSON.parse(storage.m.get('igny8.session')!).refreshToken).toBe('refresh-2');
    // the stored session survives a reload
    expect(new SessionStore(storage, fetchImpl as typeof fetch, '/graphql', () => now).get()?.accessToken).toBe('access-2');
  });

  it('signs out when the refresh token is refused', async () => {
    const fetchImpl = vi.fn(async () => json({ data: null, errors: [{ message: 'bad token', extensions: { code: 'UNAUTHENTICATED' } }] }));
    const store = new SessionStore(memoryStorage(), fetchImpl as typeof fetch, '/graphql');
    const seen: (string | null)[] = [];
    store.subscribe((s) => seen.push(s?.accessToken ?? null));
    store.signIn(pair(1));
    expect(await store.refresh()).toBeNull();
    expect(store.get()).toBeNull();
    expect(seen).toEqual(['access-1', null]);
  });
});

describe('SessionStore across tabs', () => {
  it('adopts a pair another tab already rotated instead of reusing the old refresh token', async () => {
    let now = 0;
    const fetchImpl = vi.fn(async () => json({ data: { refreshToken: pair(9) } }));
    const storage = memoryStorage();
    const tabA = new SessionStore(storage, fetchImpl as typeof fetch, '/graphql', () => now);
    tabA.signIn(pair(1));
    const tabB = new SessionStore(storage, fetchImpl as typeof fetch, '/graphql', () => now);
    now = 850_000;
    // tab A refreshes first (fetch answers pair 9) ...
    expect(await tabA.freshAccessToken()).toBe('access-9');
    // ... and tab B, still holding refresh-1, takes A's pair without a request
    expect(await tabB.freshAccessToken()).toBe('access-9');
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it('follows a sign-out in another tab', async () => {
    let now = 0;
    const fetchImpl = vi.fn(async () => json({ data: { refreshToken: pair(2) } }));
    const storage = memoryStorage();
    const tabA = new SessionStore(storage, fetchImpl as typeof fetch, '/graphql', () => now);
    tabA.signIn(pair(1));
    const tabB = new SessionStore(storage, fetchImpl as typeof fetch, '/graphql', () => now);
    tabA.signOut();
    now = 850_000;
    expect(await tabB.freshAccessToken()).toBeNull();
    expect(tabB.get()).toBeNull();
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});

describe('authFetch', () => {
  it('sends the bearer token and retries once with a refreshed one after UNAUTHENTICATED', async () => {
    const sent: string[] = [];
    const api = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      sent.push(auth);
      return auth === 'Bearer access-2' ? json({ data: { me: { id: '1' } } }) : json({ errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] });
    });
    const refresh = vi.fn(async () => json({ data: { refreshToken: pair(2) } }));
    const store = new SessionStore(memoryStorage(), refresh as typeof fetch, '/graphql');
    store.signIn(pair(1));
    const res = await authFetch(store, api as typeof fetch)('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await res.json()).toEqual({ data: { me: { id: '1' } } });
    expect(sent).toEqual(['Bearer access-1', 'Bearer access-2']);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('sends no Authorization header when signed out', async () => {
    const api = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      expect(new Headers(init?.headers).has('authorization')).toBe(false);
      return json({ data: { login: null } });
    });
    const store = new SessionStore(memoryStorage(), api as typeof fetch, '/graphql');
    await authFetch(store, api as typeof fetch)('/graphql', { method: 'POST', body: '{}' });
    expect(api).toHaveBeenCalledTimes(1);
  });
});
