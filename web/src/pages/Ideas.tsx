import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ClustersQuery, DeleteIdeaMutation, IdeasQuery, QueueIdeasMutation } from '../lib/ops';
import type { IdeaStatus, IdeasQuery as IdeasData } from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select } from '../components/ui';
import { NeedSector } from '../components/NeedSector';
import { useSelection } from '../lib/selection';
import { describeError } from '../lib/errors';
import { humanize } from '../lib/format';
import { IfCanWrite } from '../components/access';

type IdeaRow = IdeasData['ideas']['nodes'][number];
const STATUSES = ['NEW', 'QUEUED', 'COMPLETED', 'ARCHIVED'] as const;

export function OutlineView({ idea }: { idea: Pick<IdeaRow, 'outline' | 'title'> }) {
  const sections = idea.outline.sections;
  if (!sections.length) return <p className="muted">No outline.</p>;
  return (
    <ol className="outline" aria-label={`Outline of ${idea.title}`}>
      {sections.map((s, i) => (
        <li key={i} className={s.level === 3 ? 'h3' : 'h2'}>
          <strong>{s.heading}</strong>
          {s.notes && <div className="muted small">{s.notes}</div>}
          {s.targetKeywords.length > 0 && <div className="small">Keywords: {s.targetKeywords.join(', ')}</div>}
        </li>
      ))}
    </ol>
  );
}

function IdeasTable({ sectorId }: { sectorId: string }) {
  const [status, setStatus] = useState<IdeaStatus | ''>('');
  const [clusterId, setClusterId] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const sel = useSelection();
  const filter = { sectorId, status: status || undefined, clusterId: clusterId || undefined, search: search || undefined };
  const [{ data, fetching, error }] = useQuery({
    query: IdeasQuery,
    variables: { filter, orderBy: [{ field: 'CREATED_AT', direction: 'DESC' }], first: pageSize, offset: page * pageSize },
  });
  const [{ data: clusters }] = useQuery({ query: ClustersQuery, variables: { filter: { sectorId }, first: 100 } });
  const [queued, queue] = useMutation(QueueIdeasMutation);
  const [del, remove] = useMutation(DeleteIdeaMutation);
  const rows = data?.ideas.nodes ?? [];
  const n = sel.ids.size;
  return (
    <>
      <PageHeader title="Ideas" />
      <div className="filters" role="search">
        <label className="field grow">
          <span>Search</span>
          <input type="search" value={search} onChange={(e) => { setSearch(e.target.value); setPage(0); }} />
        </label>
        <Select label="Status" value={status} options={STATUSES} onChange={(v) => { setStatus(v); setPage(0); }} />
        <label className="field">
          <span>Cluster</span>
          <select value={clusterId} onChange={(e) => { setClusterId(e.target.value); setPage(0); }}>
            <option value="">Any</option>
            {clusters?.clusters.nodes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <IfCanWrite><div className="bulkbar">
        <span>{n ? `${n} selected` : 'Select ideas to queue them to the writer'}</span>
        <button
          className="btn-primary"
          disabled={!n || queued.fetching}
          onClick={async () => {
            const r = await queue({ input: { ideaIds: sel.list } });
            if (r.data) {
              setNotice(`${r.data.queueIdeasToWriter.length} tasks in the writer.`);
              sel.clear();
            }
          }}
        >
          Queue to writer
        </button>
      </div></IfCanWrite>
      <ErrorBanner message={describeError(queued.error ?? del.error)} />
      {notice && (
        <div className="alert alert-ok" role="status">
          {notice}
        </div>
      )}
      <ErrorBanner error={error} />
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? null : rows.length === 0 ? (
        <Empty title="No ideas yet">On the Clusters page, press “Generate ideas” on a cluster.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Ideas">
            <thead>
              <tr>
                <th scope="col" className="check">
                  <input
                    type="checkbox"
                    aria-label="Select all on this page"
                    checked={rows.every((r) => sel.has(r.id))}
                    onChange={(e) => sel.setAll(rows.map((r) => r.id), e.target.checked)}
                  />
                </th>
                <th scope="col">Idea</th>
                <th scope="col">Cluster</th>
                <th scope="col">Type</th>
                <th scope="col" className="num">Words</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <IdeaRowView key={i.id} i={i} sel={sel} open={open === i.id} onOpen={() => setOpen(open === i.id ? null : i.id)} onDelete={() => remove({ input: { id: i.id } })} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={data?.ideas.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
    </>
  );
}

function IdeaRowView(props: { i: IdeaRow; sel: ReturnType<typeof useSelection>; open: boolean; onOpen: () => void; onDelete: () => void }) {
  const { i, sel, open } = props;
  return (
    <>
      <tr className={sel.has(i.id) ? 'selected' : ''}>
        <td className="check">
          <input type="checkbox" aria-label={`Select ${i.title}`} checked={sel.has(i.id)} onChange={() => sel.toggle(i.id)} />
        </td>
        <td>
          <button className="link" aria-expanded={open} onClick={props.onOpen}>
            {open ? '▾' : '▸'} {i.title}
          </button>
          <div className="muted small">{i.targetKeywords.join(', ')}</div>
        </td>
        <td>{i.cluster?.name ?? '—'}</td>
        <td>
          {humanize(i.contentStructure)} · {humanize(i.contentType)}
        </td>
        <td className="num">{i.estimatedWordCount}</td>
        <td>
          <Badge value={i.status} />
        </td>
        <td>
<IfCanWrite>          <button className="btn-small btn-danger" onClick={() => window.confirm(`Delete idea “${i.title}”?`) && props.onDelete()}>
            Delete
          </button></IfCanWrite>
        </td>
      </tr>
      {open && (
        <tr className="expanded">
          <td colSpan={7}>
            {i.description && <p>{i.description}</p>}
            <OutlineView idea={i} />
          </td>
        </tr>
      )}
    </>
  );
}

export function IdeasPage() {
  return <NeedSector>{(sectorId) => <IdeasTable key={sectorId} sectorId={sectorId} />}</NeedSector>;
}
