import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  ClusterKeywordsQuery,
  ClustersQuery,
  CreateClusterMutation,
  DeleteClusterMutation,
  GenerateIdeasMutation,
  RemoveKeywordsFromClusterMutation,
  UpdateClusterMutation,
} from '../lib/ops';
import type { ClusterOrderField, ClusterStatus, ClustersQuery as ClustersData, SortDirection } from '../gql/graphql';
import { AuthorPicker } from './Authors';
import { Empty, ErrorBanner, Loading, PageHeader, Pager, Select } from '../components/ui';
import { NeedSector } from '../components/NeedSector';
import { describeError } from '../lib/errors';
import { formatNumber } from '../lib/format';
import { useJobs } from '../state';
import { IfCanWrite } from '../components/access';

type ClusterRow = ClustersData['clusters']['nodes'][number];
const STATUSES = ['ACTIVE', 'INACTIVE', 'ARCHIVED'] as const;

export function ClusterKeywords({ id }: { id: string }) {
  const [{ data, fetching, error }] = useQuery({ query: ClusterKeywordsQuery, variables: { id } });
  const [rm, remove] = useMutation(RemoveKeywordsFromClusterMutation);
  if (fetching && !data) return <Loading />;
  const kws = data?.cluster.keywords.nodes ?? [];
  return (
    <div className="subpanel">
      <ErrorBanner error={error ?? rm.error} />
      {error && !data ? null : kws.length === 0 ? (
        <Empty title="No keywords in this cluster" />
      ) : (
        <ul className="chips" aria-label="Keywords in the cluster">
          {kws.map((k) => (
            <li key={k.id} className="chip">
              {k.keyword} <span className="muted">{formatNumber(k.volume)}</span>
              <IfCanWrite>
                <button
                  className="chip-x"
                  aria-label={`Remove ${k.keyword} from the cluster`}
                  onClick={() => remove({ input: { clusterId: id, keywordIds: [k.id] } })}
                >
                  ×
                </button>
              </IfCanWrite>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function ClusterRowView({ c, authorProfileId }: { c: ClusterRow; authorProfileId: string }) {
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(c.name);
  const [description, setDescription] = useState(c.description);
  const [upd, update] = useMutation(UpdateClusterMutation);
  const [del, remove] = useMutation(DeleteClusterMutation);
  const [gen, generate] = useMutation(GenerateIdeasMutation);
  const { track } = useJobs();
  return (
    <>
      <tr>
        <td>
          {editing ? (
            <form
              className="inline-form"
              onSubmit={async (e) => {
                e.preventDefault();
                const r = await update({ input: { id: c.id, name, description } });
                if (!r.error) setEditing(false);
              }}
            >
              <label className="field">
                <span>Name</span>
                <input value={name} onChange={(e) => setName(e.target.value)} required />
              </label>
              <label className="field grow">
                <span>Description</span>
                <input value={description} onChange={(e) => setDescription(e.target.value)} />
              </label>
              <button type="submit">Save</button>
              <button type="button" className="btn-ghost" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </form>
          ) : (
            <>
              <button className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
                {open ? '▾' : '▸'} {c.name}
              </button>
              {c.description && <div className="muted small">{c.description}</div>}
            </>
          )}
          <ErrorBanner error={upd.error ?? del.error ?? gen.error} />
        </td>
        <td className="num">{c.keywordsCount}</td>
        <td className="num">{formatNumber(c.volume)}</td>
        <td className="num">{c.ideas.totalCount}</td>
        <td>
          <select
            aria-label={`Status of ${c.name}`}
            value={c.status}
            onChange={(e) => update({ input: { id: c.id, status: e.target.value as ClusterStatus } })}
          >
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </td>
        <td className="row-actions">
          <IfCanWrite>
          <button
            className="btn-small btn-primary"
            disabled={gen.fetching}
            onClick={async () => {
              const r = await generate({ input: { clusterId: c.id, authorProfileId: authorProfileId || undefined } });
              if (r.data) track(r.data.generateIdeas, c.name);
            }}
          >
            Generate ideas
          </button>
          <button className="btn-small" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button
            className="btn-small btn-danger"
            onClick={() => window.confirm(`Delete cluster ${c.name}? Its keywords stay.`) && remove({ input: { id: c.id } })}
          >
            Delete
          </button>
          </IfCanWrite>
        </td>
      </tr>
      {open && (
        <tr className="expanded">
          <td colSpan={6}>
            <ClusterKeywords id={c.id} />
          </td>
        </tr>
      )}
    </>
  );
}

function ClustersTable({ sectorId }: { sectorId: string }) {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<ClusterStatus | ''>('');
  const [sort, setSort] = useState<{ field: ClusterOrderField; direction: SortDirection }>({ field: 'VOLUME', direction: 'DESC' });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [newName, setNewName] = useState('');
  const [authorId, setAuthorId] = useState('');
  const [created, create] = useMutation(CreateClusterMutation);
  const filter = { sectorId, search: search || undefined, status: status || undefined };
  const [{ data, fetching, error }] = useQuery({
    query: ClustersQuery,
    variables: { filter, orderBy: [sort], first: pageSize, offset: page * pageSize },
  });
  const rows = data?.clusters.nodes ?? [];
  const sortBy = (field: ClusterOrderField) =>
    setSort((s) => ({ field, direction: s.field === field && s.direction === 'DESC' ? 'ASC' : 'DESC' }));
  const arrow = (f: ClusterOrderField) => (sort.field === f ? (sort.direction === 'ASC' ? ' ▲' : ' ▼') : '');
  return (
    <>
      <PageHeader title="Clusters">
        <IfCanWrite>
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await create({ input: { sectorId, name: newName } });
            if (r.data) setNewName('');
          }}
        >
          <label className="field">
            <span className="sr-only">New cluster name</span>
            <input placeholder="New cluster name" value={newName} onChange={(e) => setNewName(e.target.value)} required aria-label="New cluster name" />
          </label>
          <button type="submit">Create cluster</button>
        </form>
        </IfCanWrite>
      </PageHeader>
      <ErrorBanner message={created.error ? describeError(created.error) : null} />
      <div className="filters" role="search">
        <label className="field grow">
          <span>Search</span>
          <input type="search" value={search} onChange={(e) => { setSearch(e.target.value); setPage(0); }} />
        </label>
        <Select label="Status" value={status} options={STATUSES} onChange={(v) => { setStatus(v); setPage(0); }} />
      </div>
      <div className="inline-form generate-options">
        <AuthorPicker value={authorId} onChange={setAuthorId} />
        <span className="muted small">“Generate ideas” writes in this voice.</span>
      </div>
      <ErrorBanner error={error} />
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? null : rows.length === 0 ? (
        <Empty title="No clusters yet">Select keywords on the Keywords page and press “Auto cluster”.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Clusters">
            <thead>
              <tr>
                <th scope="col">
                  <button className="th-sort" onClick={() => sortBy('NAME')}>
                    Cluster{arrow('NAME')}
                  </button>
                </th>
                <th scope="col" className="num">
                  <button className="th-sort" onClick={() => sortBy('KEYWORDS_COUNT')}>
                    Keywords{arrow('KEYWORDS_COUNT')}
                  </button>
                </th>
                <th scope="col" className="num">
                  <button className="th-sort" onClick={() => sortBy('VOLUME')}>
                    Volume{arrow('VOLUME')}
                  </button>
                </th>
                <th scope="col" className="num">Ideas</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <ClusterRowView key={c.id} c={c} authorProfileId={authorId} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={data?.clusters.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
    </>
  );
}

export function ClustersPage() {
  return <NeedSector>{(sectorId) => <ClustersTable key={sectorId} sectorId={sectorId} />}</NeedSector>;
}

