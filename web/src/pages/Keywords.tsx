import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';
import {
  AddKeywordsToClusterMutation,
  AutoClusterMutation,
  BulkDeleteKeywordsMutation,
  BulkKeywordStatusMutation,
  ClustersQuery,
  CreateKeywordMutation,
  ExportKeywordsQuery,
  ImportKeywordsMutation,
  KeywordsQuery,
} from '../lib/ops';
import type { ImportKeywordsMutation as ImportData, KeywordFilter, KeywordIntent, KeywordOrderField, KeywordStatus, SortDirection } from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select } from '../components/ui';
import { NeedSector } from '../components/NeedSector';
import { useSelection } from '../lib/selection';
import { describeError } from '../lib/errors';
import { download, formatNumber } from '../lib/format';
import { readKeywordFile } from '../lib/csvfile';
import { useJobs } from '../state';
import { IfCanWrite, useCanWrite } from '../components/access';

const STATUSES = ['ACTIVE', 'INACTIVE', 'ARCHIVED'] as const;
const INTENTS = ['INFORMATIONAL', 'NAVIGATIONAL', 'COMMERCIAL', 'TRANSACTIONAL'] as const;
/** Keywords one clustering job takes (it works in calls of 20). */
const AUTO_CLUSTER_MAX = 5000;

interface Filters {
  search: string;
  status: KeywordStatus | '';
  intent: KeywordIntent | '';
  clustered: '' | 'yes' | 'no';
  clusterId: string;
  difficultyMin: string;
  difficultyMax: string;
  volumeMin: string;
  volumeMax: string;
}
const NO_FILTERS: Filters = {
  search: '', status: '', intent: '', clustered: '', clusterId: '', difficultyMin: '', difficultyMax: '', volumeMin: '', volumeMax: '',
};

export function filtersEmpty(f: Filters): boolean {
  return Object.values(f).every((v) => v === '');
}

export function toKeywordFilter(sectorId: string, f: Filters): KeywordFilter {
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
  return {
    sectorId,
    search: f.search.trim() || undefined,
    status: f.status || undefined,
    intent: f.intent || undefined,
    clustered: f.clustered === '' ? undefined : f.clustered === 'yes',
    clusterId: f.clusterId || undefined,
    difficultyMin: num(f.difficultyMin),
    difficultyMax: num(f.difficultyMax),
    volumeMin: num(f.volumeMin),
    volumeMax: num(f.volumeMax),
  };
}

export function ImportResult({ result }: { result: ImportData['importKeywords'] }) {
  return (
    <div className="import-result" role="status">
      <p>
        <strong>{result.created}</strong> created, <strong>{result.skipped}</strong> skipped as duplicates,{' '}
        <strong>{result.errors.length}</strong> {result.errors.length === 1 ? 'row' : 'rows'} refused.
      </p>
      {result.ignoredColumns.length > 0 && (
        <p className="muted" data-testid="ignored-columns">
          Columns not read: {result.ignoredColumns.join(', ')}.
        </p>
      )}
      {result.errors.length > 0 && (
        <table className="compact" aria-label="Refused rows">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {result.errors.map((e) => (
              <tr key={e.line}>
                <td>{e.line}</td>
                <td>{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ImportPanel({ sectorId }: { sectorId: string }) {
  const [csv, setCsv] = useState('');
  const [state, importKeywords] = useMutation(ImportKeywordsMutation);
  const [result, setResult] = useState<ImportData['importKeywords'] | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await importKeywords({ input: { sectorId, csv } });
    setResult(r.data?.importKeywords ?? null);
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Import keywords from CSV">
      <h2>Import CSV</h2>
      <p className="muted">
        Columns keyword, volume, difficulty, intent in any order — or an export of Semrush, Ahrefs, Google Keyword Planner, Moz or
        Search Console as it is (comma, semicolon or tab separated; UTF-8 or UTF-16). Ranges such as 1K–10K count as their low end.
      </p>
      <label className="field">
        <span>CSV file</span>
        <input
          type="file"
          accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            setCsv(f ? await readKeywordFile(f) : '');
          }}
        />
      </label>
      <label className="field">
        <span>…or paste CSV</span>
        <textarea name="csv" rows={5} value={csv} onChange={(e) => setCsv(e.target.value)} placeholder={'keyword,volume,difficulty,intent\nbest pie,1200,40,commercial'} />
      </label>
      <button type="submit" className="btn-primary" disabled={!csv || state.fetching}>
        {state.fetching ? 'Importing…' : 'Import'}
      </button>
      <ErrorBanner error={state.error} />
      {result && <ImportResult result={result} />}
    </form>
  );
}

function AddKeyword({ sectorId }: { sectorId: string }) {
  const [keyword, setKeyword] = useState('');
  const [volume, setVolume] = useState('');
  const [state, create] = useMutation(CreateKeywordMutation);
  return (
    <form
      className="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await create({ input: { sectorId, keyword, volume: volume ? Number(volume) : null } });
        if (r.data) {
          setKeyword('');
          setVolume('');
        }
      }}
    >
      <label className="field">
        <span>Keyword</span>
        <input required value={keyword} onChange={(e) => setKeyword(e.target.value)} />
      </label>
      <label className="field narrow">
        <span>Volume</span>
        <input type="number" min={0} value={volume} onChange={(e) => setVolume(e.target.value)} />
      </label>
      <button type="submit" disabled={state.fetching}>
        Add keyword
      </button>
      <ErrorBanner error={state.error} />
    </form>
  );
}

/** No rows: what to do next, the seed library among it. */
export function KeywordsEmpty({ filtered, canWrite }: { filtered: boolean; canWrite: boolean }) {
  const seeds = <Link to="/planner/seeds">{canWrite ? 'add from the seed library' : 'browse the seed library'}</Link>;
  if (filtered)
    return (
      <Empty title="No keywords match">
        Clear the filters{canWrite ? ', import a CSV, add keywords' : ''} or {seeds}.
      </Empty>
    );
  return <Empty title="No keywords yet">{canWrite ? <>Import a CSV, add keywords or {seeds}.</> : <>Nothing planned in this sector yet: {seeds}.</>}</Empty>;
}

function KeywordsTable({ sectorId }: { sectorId: string }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<{ field: KeywordOrderField; direction: SortDirection }>({ field: 'CREATED_AT', direction: 'DESC' });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [panel, setPanel] = useState<'' | 'import' | 'add'>('');
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [recluster, setRecluster] = useState(false);
  const sel = useSelection();
  const canWrite = useCanWrite();
  const client = useClient();
  const { track } = useJobs();
  const filter = useMemo(() => toKeywordFilter(sectorId, filters), [sectorId, filters]);
  const orderBy = [sort];
  const [{ data, fetching, error }] = useQuery({ query: KeywordsQuery, variables: { filter, orderBy, first: pageSize, offset: page * pageSize } });
  const [{ data: clusters }] = useQuery({ query: ClustersQuery, variables: { filter: { sectorId }, first: 100 } });
  const [, bulkDelete] = useMutation(BulkDeleteKeywordsMutation);
  const [, bulkStatus] = useMutation(BulkKeywordStatusMutation);
  const [, autoCluster] = useMutation(AutoClusterMutation);
  const [, addToCluster] = useMutation(AddKeywordsToClusterMutation);
  useEffect(() => {
    setPage(0);
    sel.clear();
  }, [sectorId, filters, pageSize, sel.clear]);
  const rows = data?.keywords.nodes ?? [];
  const total = data?.keywords.totalCount ?? 0;
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const sortBy = (field: KeywordOrderField) =>
    setSort((s) => ({ field, direction: s.field === field && s.direction === 'ASC' ? 'DESC' : 'ASC' }));
  const arrow = (field: KeywordOrderField) => (sort.field === field ? (sort.direction === 'ASC' ? ' ▲' : ' ▼') : '');
  const ariaSort = (field: KeywordOrderField) => (sort.field === field ? (sort.direction === 'ASC' ? 'ascending' : 'descending') : 'none');
  const run = async (p: Promise<{ error?: Parameters<typeof describeError>[0] }>, done: string) => {
    setActionError(null);
    setNotice(null);
    const r = await p;
    if (r.error) setActionError(describeError(r.error));
    else {
      setNotice(done);
      sel.clear();
    }
  };
  const startAutoCluster = async () => {
    setActionError(null);
    const ids = sel.list;
    const r = await autoCluster({ input: { keywordIds: ids, recluster } });
    if (r.error) return setActionError(describeError(r.error));
    if (r.data) track(r.data.autoClusterKeywords, `${ids.length} keywords`);
    setNotice('Auto clustering started: follow it in the jobs panel.');
    sel.clear();
  };
  const startSectorCluster = async () => {
    setActionError(null);
    const r = await autoCluster({ input: { sectorId, recluster } });
    if (r.error) return setActionError(describeError(r.error));
    if (r.data) track(r.data.autoClusterKeywords, 'the whole sector');
    setNotice('Clustering the sector: follow it in the jobs panel.');
  };
  const exportCsv = async () => {
    const r = await client.query(ExportKeywordsQuery, { filter, orderBy }, { requestPolicy: 'network-only' }).toPromise();
    if (r.error) return setActionError(describeError(r.error));
    if (r.data) download('keywords.csv', r.data.exportKeywordsCsv);
  };
  const n = sel.ids.size;
  return (
    <>
      <PageHeader title="Keywords">
        <IfCanWrite>
          <button onClick={() => setPanel(panel === 'add' ? '' : 'add')} aria-expanded={panel === 'add'}>
            Add keyword
          </button>
          <button onClick={() => setPanel(panel === 'import' ? '' : 'import')} aria-expanded={panel === 'import'}>
            Import CSV
          </button>
          <button onClick={startSectorCluster} title="Cluster every unclustered active keyword of this sector">
            Cluster whole sector
          </button>
        </IfCanWrite>
        <button onClick={exportCsv}>Export CSV</button>
      </PageHeader>
      {panel === 'import' && <ImportPanel sectorId={sectorId} />}
      {panel === 'add' && (
        <div className="card">
          <AddKeyword sectorId={sectorId} />
        </div>
      )}
      <form className="filters" role="search" aria-label="Filter keywords" onSubmit={(e) => e.preventDefault()}>
        <label className="field grow">
          <span>Search</span>
          <input type="search" value={filters.search} onChange={(e) => set({ search: e.target.value })} placeholder="Keyword contains…" />
        </label>
        <Select label="Status" value={filters.status} options={STATUSES} onChange={(v) => set({ status: v })} />
        <Select label="Intent" value={filters.intent} options={INTENTS} onChange={(v) => set({ intent: v })} />
        <label className="field">
          <span>Clustered</span>
          <select value={filters.clustered} onChange={(e) => set({ clustered: e.target.value as Filters['clustered'] })}>
            <option value="">Any</option>
            <option value="yes">Clustered</option>
            <option value="no">Unclustered</option>
          </select>
        </label>
        <label className="field">
          <span>Cluster</span>
          <select value={filters.clusterId} onChange={(e) => set({ clusterId: e.target.value })}>
            <option value="">Any</option>
            {clusters?.clusters.nodes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field narrow">
          <span>Difficulty ≥</span>
          <input type="number" min={0} max={100} value={filters.difficultyMin} onChange={(e) => set({ difficultyMin: e.target.value })} />
        </label>
        <label className="field narrow">
          <span>Difficulty ≤</span>
          <input type="number" min={0} max={100} value={filters.difficultyMax} onChange={(e) => set({ difficultyMax: e.target.value })} />
        </label>
        <label className="field narrow">
          <span>Volume ≥</span>
          <input type="number" min={0} value={filters.volumeMin} onChange={(e) => set({ volumeMin: e.target.value })} />
        </label>
        <label className="field narrow">
          <span>Volume ≤</span>
          <input type="number" min={0} value={filters.volumeMax} onChange={(e) => set({ volumeMax: e.target.value })} />
        </label>
        <button type="button" className="btn-ghost" onClick={() => setFilters(NO_FILTERS)}>
          Clear
        </button>
      </form>
      <IfCanWrite><div className="bulkbar" aria-live="polite">
        <span>{n ? `${n} selected` : 'Select keywords for bulk actions'}</span>
        <button className="btn-primary" disabled={!n || n > AUTO_CLUSTER_MAX} onClick={startAutoCluster} title={`At most ${AUTO_CLUSTER_MAX} keywords per run`}>
          Auto cluster
        </button>
        <label className="check" title="Keywords already in a cluster are left alone unless this is ticked; each move is reported">
          <input type="checkbox" checked={recluster} onChange={(e) => setRecluster(e.target.checked)} /> move clustered keywords
        </label>
        <label>
          <span className="sr-only">Set status</span>
          <select
            aria-label="Set status of selected"
            disabled={!n}
            value=""
            onChange={(e) => e.target.value && run(bulkStatus({ input: { ids: sel.list, status: e.target.value as KeywordStatus } }), 'Status updated.')}
          >
            <option value="">Set status…</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">Add to cluster</span>
          <select
            aria-label="Add selected to cluster"
            disabled={!n}
            value=""
            onChange={(e) => e.target.value && run(addToCluster({ input: { clusterId: e.target.value, keywordIds: sel.list } }), 'Added to the cluster.')}
          >
            <option value="">Add to cluster…</option>
            {clusters?.clusters.nodes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button
          className="btn-danger"
          disabled={!n}
          onClick={() => window.confirm(`Delete ${n} keywords?`) && run(bulkDelete({ input: { ids: sel.list } }), `${n} keywords deleted.`)}
        >
          Delete
        </button>
        {n > AUTO_CLUSTER_MAX && <span className="muted">Auto cluster takes at most {AUTO_CLUSTER_MAX}.</span>}
      </div></IfCanWrite>
      <ErrorBanner message={actionError} />
      {notice && (
        <div className="alert alert-ok" role="status">
          {notice}
        </div>
      )}
      <ErrorBanner error={error} />
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? null : rows.length === 0 ? (
        <KeywordsEmpty filtered={!filtersEmpty(filters)} canWrite={canWrite} />
      ) : (
        <div className="table-wrap">
          <table aria-label="Keywords">
            <thead>
              <tr>
                <th scope="col" className="check">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={rows.length > 0 && rows.every((r) => sel.has(r.id))}
                    onChange={(e) => sel.setAll(rows.map((r) => r.id), e.target.checked)}
                  />
                </th>
                <th scope="col" aria-sort={ariaSort('KEYWORD')}>
                  <button className="th-sort" onClick={() => sortBy('KEYWORD')}>
                    Keyword{arrow('KEYWORD')}
                  </button>
                </th>
                <th scope="col" className="num" aria-sort={ariaSort('VOLUME')}>
                  <button className="th-sort" onClick={() => sortBy('VOLUME')}>
                    Volume{arrow('VOLUME')}
                  </button>
                </th>
                <th scope="col" className="num" aria-sort={ariaSort('DIFFICULTY')}>
                  <button className="th-sort" onClick={() => sortBy('DIFFICULTY')}>
                    Difficulty{arrow('DIFFICULTY')}
                  </button>
                </th>
                <th scope="col">Intent</th>
                <th scope="col">Cluster</th>
                <th scope="col">Status</th>
                <th scope="col" aria-sort={ariaSort('CREATED_AT')}>
                  <button className="th-sort" onClick={() => sortBy('CREATED_AT')}>
                    Added{arrow('CREATED_AT')}
                  </button>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => (
                <tr key={k.id} className={sel.has(k.id) ? 'selected' : ''}>
                  <td className="check">
                    <input type="checkbox" aria-label={`Select ${k.keyword}`} checked={sel.has(k.id)} onChange={() => sel.toggle(k.id)} />
                  </td>
                  <td>{k.keyword}</td>
                  <td className="num">{formatNumber(k.volume)}</td>
                  <td className="num">{k.difficulty ?? '—'}</td>
                  <td>
                    <Badge value={k.intent} />
                  </td>
                  <td>{k.cluster?.name ?? <span className="muted">—</span>}</td>
                  <td>
                    <Badge value={k.status} />
                  </td>
                  <td className="muted">{new Date(k.createdAt).toLocaleDateString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={total} page={page} pageSize={pageSize} onPage={setPage} onPageSize={setPageSize} />
    </>
  );
}

export function KeywordsPage() {
  return <NeedSector>{(sectorId) => <KeywordsTable key={sectorId} sectorId={sectorId} />}</NeedSector>;
}
