import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AuthorPicker } from './Authors';
import { BulkDeleteTasksMutation, BulkTaskStatusMutation, GenerateContentMutation, TasksQuery } from '../lib/ops';
import type { TaskStatus } from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select } from '../components/ui';
import { NeedSector } from '../components/NeedSector';
import { useSelection } from '../lib/selection';
import { describeError } from '../lib/errors';
import { humanize } from '../lib/format';
import { useJobs } from '../state';
import { IfCanWrite } from '../components/access';

const STATUSES = ['DRAFT', 'IN_PROGRESS', 'REVIEW', 'COMPLETED', 'ARCHIVED'] as const;

function TasksTable({ sectorId }: { sectorId: string }) {
  const [status, setStatus] = useState<TaskStatus | ''>('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [msg, setMsg] = useState<string | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const sel = useSelection();
  const { track } = useJobs();
  const [{ data, fetching, error }] = useQuery({
    query: TasksQuery,
    variables: {
      filter: { sectorId, status: status || undefined, search: search || undefined },
      orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }],
      first: pageSize,
      offset: page * pageSize,
    },
  });
  const [gen, generate] = useMutation(GenerateContentMutation);
  const [authorId, setAuthorId] = useState('');
  const [, bulkStatus] = useMutation(BulkTaskStatusMutation);
  const [, bulkDelete] = useMutation(BulkDeleteTasksMutation);
  const rows = data?.tasks.nodes ?? [];
  const n = sel.ids.size;
  const act = async (p: Promise<{ error?: Parameters<typeof describeError>[0] }>, ok: string) => {
    setErr(null);
    const r = await p;
    if (r.error) setErr(describeError(r.error));
    else {
      setMsg(ok);
      sel.clear();
    }
  };
  return (
    <>
      <PageHeader title="Tasks" />
      <div className="filters" role="search">
        <label className="field grow">
          <span>Search</span>
          <input type="search" value={search} onChange={(e) => { setSearch(e.target.value); setPage(0); }} />
        </label>
        <Select label="Status" value={status} options={STATUSES} onChange={(v) => { setStatus(v); setPage(0); }} />
      </div>
      <div className="inline-form generate-options">
        <AuthorPicker value={authorId} onChange={setAuthorId} />
        <span className="muted small">“Generate content” writes in this voice.</span>
      </div>
      <IfCanWrite><div className="bulkbar">
        <span>{n ? `${n} selected` : 'Select tasks to write their articles'}</span>
        <button
          className="btn-primary"
          disabled={!n || n > 50 || gen.fetching}
          onClick={async () => {
            setErr(null);
            const ids = sel.list;
            const r = await generate({ input: { taskIds: ids, authorProfileId: authorId || undefined } });
            if (r.error) return setErr(describeError(r.error));
            if (r.data) track(r.data.generateContent, `${ids.length} tasks`);
            setMsg('Writing started: follow it in the jobs panel.');
            sel.clear();
          }}
        >
          Generate content
        </button>
        <select
          aria-label="Set status of selected"
          disabled={!n}
          value=""
          onChange={(e) => e.target.value && act(bulkStatus({ input: { ids: sel.list, status: e.target.value as TaskStatus } }), 'Status updated.')}
        >
          <option value="">Set status…</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {humanize(s)}
            </option>
          ))}
        </select>
        <button className="btn-danger" disabled={!n} onClick={() => window.confirm(`Delete ${n} tasks with their content?`) && act(bulkDelete({ input: { ids: sel.list } }), 'Deleted.')}>
          Delete
        </button>
      </div></IfCanWrite>
      <ErrorBanner message={err} />
      {msg && (
        <div className="alert alert-ok" role="status">
          {msg}
        </div>
      )}
      <ErrorBanner error={error} />
      {fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty title="No tasks yet">Queue ideas to the writer from the Ideas page.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Tasks">
            <thead>
              <tr>
                <th scope="col" className="check">
                  <input type="checkbox" aria-label="Select all on this page" checked={rows.every((r) => sel.has(r.id))} onChange={(e) => sel.setAll(rows.map((r) => r.id), e.target.checked)} />
                </th>
                <th scope="col">Task</th>
                <th scope="col">Cluster</th>
                <th scope="col">Structure</th>
                <th scope="col">Status</th>
                <th scope="col">Article</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id} className={sel.has(t.id) ? 'selected' : ''}>
                  <td className="check">
                    <input type="checkbox" aria-label={`Select ${t.title}`} checked={sel.has(t.id)} onChange={() => sel.toggle(t.id)} />
                  </td>
                  <td>{t.title}</td>
                  <td>{t.cluster?.name ?? '—'}</td>
                  <td>{humanize(t.contentStructure)}</td>
                  <td>
                    <Badge value={t.status} />
                  </td>
                  <td>{t.content ? <Link to={`/writer/content/${t.content.id}`}>{t.content.wordCount} words</Link> : <span className="muted">not written</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={data?.tasks.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
    </>
  );
}

export function TasksPage() {
  return <NeedSector>{(sectorId) => <TasksTable key={sectorId} sectorId={sectorId} />}</NeedSector>;
}
