// The signed-in session: tokens live in localStorage (never in URLs). The
// access token is refreshed silently shortly before it expires, or once when
// the server answers UNAUTHENTICATED; concurrent callers share one refresh.

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** epoch milliseconds */
  expiresAt: number;
  email: string;
}

export interface AuthPayloadLike {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { email: string };
}

const KEY = 'igny8.session';
/** Refresh when less than this is left on the access token. */
const MARGIN_MS = 60_000;

const REFRESH = `mutation RefreshSession($input: RefreshTokenInput!) {
  refreshToken(input: $input) { accessToken refreshToken expiresIn user { email } }
}`;

type Listener = (s: Session | null) => void;

export class SessionStore {
  private session: Session | null;
  private inflight: Promise<string | null> | null = null;
  private listeners = new Set<Listener>();

  constructor(
    private storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private fetchImpl: typeof fetch,
    private endpoint: string,
    private now: () => number = Date.now,
  ) {
    this.session = SessionStore.parse(storage.getItem(KEY));
  }

  private static parse(raw: string | null): Session | null {
    if (!raw) return null;
    try {
      const s = JSON.parse(raw) as Session;
      return s && typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' ? s : null;
    } catch {
      return null;
    }
  }

  get(): Session | null {
    return this.session;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  signIn(p: AuthPayloadLike): void {
    this.set({
      accessToken: p.accessToken,
      refreshToken: p.refreshToken,
      expiresAt: this.now() + p.expiresIn * 1000,
      email: p.user.email,
    });
  }

  signOut(): void {
    this.set(null);
  }

  private set(s: Session | null): void {
    this.session = s;
    if (s) this.storage.setItem(KEY, JSON.stringify(s));
    else this.storage.removeItem(KEY);
    this.listeners.forEach((l) => l(s));
  }

  /** The access token, refreshed first if it is about to expire. */
  async freshAccessToken(): Promise<string | null> {
    const s = this.session;
    if (!s) return null;
    if (s.expiresAt - this.now() > MARGIN_MS) return s.accessToken;
    return this.refresh();
  }

  /** Exchanges the refresh token for a new pair; null (and signed out) if refused. */
  refresh(): Promise<string | null> {
    if (this.inflight) return this.inflight;
    if (!this.session) return Promise.resolve(null);
    // Tabs share the session: a refresh token works once, and presenting a
    // rotated one revokes the whole family. So refreshes are serialised across
    // tabs (Web Locks where available) and a pair another tab got is adopted.
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    const run = (): Promise<string | null> => this.refreshOnce();
    const p: Promise<string | null> = (locks ? locks.request('igny8.refresh', run).then((t) => t) : run()).finally(() => {
      this.inflight = null;
    });
    this.inflight = p;
    return p;
  }

  private async refreshOnce(): Promise<string | null> {
    const mine = this.session;
    if (!mine) return null;
    const shared = SessionStore.parse(this.storage.getItem(KEY));
    if (!shared) {
      this.set(null); // signed out in another tab
      return null;
    }
    if (shared.refreshToken !== mine.refreshToken) {
      this.set(shared);
      if (shared.expiresAt - this.now() > MARGIN_MS) return shared.accessToken;
    }
    const s = this.session!;
    try {
      const res = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: REFRESH, variables: { input: { refreshToken: s.refreshToken } } }),
      });
      const body = (await res.json()) as { data?: { refreshToken?: AuthPayloadLike } };
      const p = body.data?.refreshToken;
      // a sign-out or another sign-in may have happened meanwhile
      if (this.session?.refreshToken !== s.refreshToken) return this.session?.accessToken ?? null;
      if (!p) {
        this.signOut();
        return null;
      }
      this.signIn(p);
      return p.accessToken;
    } catch {
      // network trouble: keep the session, the caller sees the request fail
      return this.session?.accessToken ?? null;
    }
  }
}

function hasCode(body: unknown, code: string): boolean {
  const errors = (body as { errors?: { extensions?: { code?: string } }[] } | null)?.errors;
  return Array.isArray(errors) && errors.some((e) => e?.extensions?.code === code);
}

/** A fetch that adds the bearer token and retries once after a refresh. */
export function authFetch(store: SessionStore, base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const send = (token: string | null) => {
      const headers = new Headers(init?.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return base(input, { ...init, headers });
    };
    const token = await store.freshAccessToken();
    const res = await send(token);
    if (!token) return res;
    const body = await res.clone().json().catch(() => null);
    if (!hasCode(body, 'UNAUTHENTICATED')) return res;
    const renewed = await store.refresh();
    return renewed ? send(renewed) : res;
  };
}
