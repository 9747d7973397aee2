import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Provider, useClient, useMutation, useQuery, useSubscription } from 'urql';
import { makeClients, type Clients } from './lib/client';
import { SessionStore, type Session } from './lib/session';
import { AccountJobsSubscription, CancelJobMutation, JobQuery, MeQuery, RetryFailedItemsMutation, SitesQuery } from './lib/ops';
import type { AccountJobsSubscription as AccountJobsData, JobFieldsFragment, SitesQuery as SitesData, MeQuery as MeData } from './gql/graphql';

// --- session -------------------------------------------------------------------

interface SessionCtx {
  store: SessionStore;
  session: Session | null;
}
const SessionContext = createContext<SessionCtx | null>(null);

export function useSession(): SessionCtx {
  const c = useContext(SessionContext);
  if (!c) throw new Error('useSession outside SessionProvider');
  return c;
}

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  const [session, setSession] = useState(store.get());
  // one client (and cache, and socket) per signed-in user: nothing carries over
  const [clients, setClients] = useState<Clients>(() => makeClients(store));
  const user = useRef(session?.email ?? null);
  useEffect(
    () =>
      store.subscribe((s) => {
        setSession(s);
        const next = s?.email ?? null;
        if (next !== user.current) {
          user.current = next;
          setClients((old) => {
            void old.ws.dispose();
            return makeClients(store);
          });
        }
      }),
    [store],
  );
  return (
    <SessionContext.Provider value={{ store, session }}>
      <Provider value={clients.client}>{children}</Provider>
    </SessionContext.Provider>
  );
}

// --- account and workspace (site and sector) ----------------------------------------

export type SiteNode = SitesData['sites']['nodes'][number];
export type Me = MeData['me'];

export interface WorkspaceCtx {
  me: Me | null;
  sites: SiteNode[];
  sitesLoading: boolean;
  site: SiteNode | null;
  sectorId: string | null;
  setSite: (id: string) => void;
  setSector: (id: string) => void;
}
/** Exported for tests, which give pages a workspace of their own. */
export const WorkspaceContext = createContext<WorkspaceCtx | null>(null);

export function useWorkspace(): WorkspaceCtx {
  const c = useContext(WorkspaceContext);
  if (!c) throw new Error('useWorkspace outside WorkspaceProvider');
  return c;
}

const SITE_KEY = 'igny8.site';
const SECTOR_KEY = 'igny8.sector';

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const [{ data: meData }] = useQuery({ query: MeQuery });
  const [{ data, fetching }] = useQuery({ query: SitesQuery });
  const [siteId, setSiteId] = useState<string | null>(() => localStorage.getItem(SITE_KEY));
  const [sectorId, setSectorId] = useState<string | null>(() => localStorage.getItem(SECTOR_KEY));
  const sites = useMemo(() => data?.sites.nodes ?? [], [data]);
  const site = sites.find((s) => s.id === siteId) ?? sites[0] ?? null;
  const sectors = site?.sectors.nodes ?? [];
  const sector = sectors.find((s) => s.id === sectorId) ?? sectors.find((s) => s.isActive) ?? sectors[0] ?? null;
  const setSite = useCallback((id: string) => {
    localStorage.setItem(SITE_KEY, id);
    localStorage.removeItem(SECTOR_KEY);
    setSiteId(id);
    setSectorId(null);
  }, []);
  const setSector = useCallback((id: string) => {
    localStorage.setItem(SECTOR_KEY, id);
    setSectorId(id);
  }, []);
  return (
    <WorkspaceContext.Provider
      value={{ me: meData?.me ?? null, sites, sitesLoading: fetching && !data, site, sectorId: sector?.id ?? null, setSite, setSector }}
    >
      {children}
    </WorkspaceContext.Provider>
  );
}

// --- jobs: live progress from `accountJobs` ----------------------------------------

export interface LiveJob {
  id: string;
  seq: number;
  /** AUTO_CLUSTER … GENERATE_IMAGES, PUBLISH, SYNC_WORDPRESS */
  kind: string;
  status: string;
  phase: string;
  percent: number;
  itemsDone: number;
  itemsTotal: number;
  message: string;
  error?: string | null;
  result?: unknown;
  /** once finished: what became of each item (failures carry their reason) */
  items?: JobItem[];
  itemsSucceeded?: number;
  itemsFailed?: number;
  itemsCancelled?: number;
  /** what the user asked for, e.g. "12 keywords" */
  label?: string;
}

export interface JobItem {
  id: string;
  status: string;
  error?: string | null;
  note?: string | null;
}

export const TERMINAL = new Set(['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED']);

/** Items of a finished job that a retry would run again (failed, or cancelled before done). */
export function retryable(job: Pick<LiveJob, 'status' | 'items'>): number {
  if (!TERMINAL.has(job.status)) return 0;
  return (job.items ?? []).filter((i) => i.status !== 'SUCCEEDED').length;
}

export interface JobsCtx {
  jobs: LiveJob[];
  track: (job: JobFieldsFragment, label?: string) => void;
  cancel: (id: string) => Promise<string | null>;
  /** a new job over the failed items of `id`; returns an error message or null */
  retry: (id: string) => Promise<string | null>;
  dismiss: (id: string) => void;
}
export const JobsContext = createContext<JobsCtx | null>(null);

export function useJobs(): JobsCtx {
  const c = useContext(JobsContext);
  if (!c) throw new Error('useJobs outside JobsProvider');
  return c;
}

/** Applies an event if it is newer than what we hold (events carry a per-job seq). */
export function applyEvent(jobs: Record<string, LiveJob>, e: Omit<LiveJob, 'id'> & { jobId: string }): Record<string, LiveJob> {
  const prev = jobs[e.jobId];
  if (prev && prev.seq >= e.seq) return jobs;
  const { jobId, ...rest } = e;
  return { ...jobs, [jobId]: { ...prev, ...rest, id: jobId } };
}

export function JobsProvider({ children }: { children: ReactNode }) {
  const [byId, setById] = useState<Record<string, LiveJob>>({});
  const [order, setOrder] = useState<string[]>([]);
  const [, cancelJob] = useMutation(CancelJobMutation);
  const [, retryJob] = useMutation(RetryFailedItemsMutation);
  const client = useClient();
  const remember = (id: string) => setOrder((o) => (o.includes(id) ? o : [id, ...o]));
  useSubscription<AccountJobsData, AccountJobsData>({ query: AccountJobsSubscription }, (_prev, data) => {
    const e = data.accountJobs;
    setById((m) => applyEvent(m, e));
    remember(e.jobId);
    if (TERMINAL.has(e.status)) {
      // events carry progress, not results: fetch the finished job once
      void client
        .query(JobQuery, { id: e.jobId }, { requestPolicy: 'network-only' })
        .toPromise()
        .then((r) => {
          const j = r.data?.job;
          if (j)
            setById((m) =>
              m[j.id] ? { ...m, [j.id]: { ...m[j.id], result: j.result, error: j.error, items: j.items, message: j.message } } : m,
            );
        });
    }
    return data;
  });
  const track = useCallback((job: JobFieldsFragment, label?: string) => {
    setById((m) => applyEvent(m, { ...job, jobId: job.id, label }));
    setById((m) => (m[job.id] ? { ...m, [job.id]: { ...m[job.id], label, result: job.result } } : m));
    remember(job.id);
  }, []);
  const cancel = useCallback(
    async (id: string) => {
      const r = await cancelJob({ input: { jobId: id } });
      if (r.data) {
        const j = r.data.cancelJob;
        setById((m) => applyEvent(m, { ...j, jobId: j.id }));
      }
      return r.error ? r.error.message : null;
    },
    [cancelJob],
  );
  const retry = useCallback(
    async (id: string) => {
      const r = await retryJob({ input: { jobId: id } });
      if (r.data) {
        const j = r.data.retryFailedItems;
        const label = `retry of ${j.itemsTotal} item${j.itemsTotal === 1 ? '' : 's'}`;
        setById((m) => applyEvent(m, { ...j, jobId: j.id, label }));
        remember(j.id);
      }
      return r.error ? r.error.graphQLErrors[0]?.message ?? r.error.message : null;
    },
    [retryJob],
  );
  const dismiss = useCallback((id: string) => setOrder((o) => o.filter((x) => x !== id)), []);
  const jobs = order.map((id) => byId[id]).filter(Boolean);
  return <JobsContext.Provider value={{ jobs, track, cancel, retry, dismiss }}>{children}</JobsContext.Provider>;
}
