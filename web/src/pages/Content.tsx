import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ContentQuery, ContentsQuery, GenerateImagePromptsMutation, GenerateImagesMutation, PublishContentMutation, UpdateContentMutation } from '../lib/ops';
import type { ContentStatus, PublishStatus } from '../gql/graphql';
import { useSelection } from '../lib/selection';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager } from '../components/ui';
import { NeedSector } from '../components/NeedSector';
import { sanitizeHtml } from '../lib/sanitize';
import { describeError } from '../lib/errors';
import { formatDate, humanize } from '../lib/format';
import { useJobs } from '../state';
import { Gallery } from './Images';
import { IfCanWrite, useCanWrite } from '../components/access';
import { useUnsavedChangesPrompt } from '../lib/unsaved';

const VIEWS: { label: string; status?: ContentStatus }[] = [{ label: 'All' }, { label: 'Drafts', status: 'DRAFT' }, { label: 'In review', status: 'REVIEW' }, { label: 'Published', status: 'PUBLISHED' }];

function ContentList({ sectorId }: { sectorId: string }) {
  const [view, setView] = useState(0);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [{ data, fetching, error }] = useQuery({
    query: ContentsQuery,
    variables: {
      filter: { sectorId, status: VIEWS[view].status, search: search || undefined },
      orderBy: [{ field: 'UPDATED_AT', direction: 'DESC' }],
      first: pageSize,
      offset: page * pageSize,
    },
  });
  const rows = data?.contents.nodes ?? [];
  const sel = useSelection();
  // selecting serves publishing only: viewers get neither
  const canWrite = useCanWrite();
  const [pub, publish] = useMutation(PublishContentMutation);
  const [mode, setMode] = useState<PublishStatus>('DRAFT');
  const [at, setAt] = useState('');
  const { track } = useJobs();
  const doPublish = async () => {
    const ids = sel.list.slice(0, 20);
    const publishAt = mode === 'FUTURE' && at ? new Date(at).toISOString() : undefined;
    const r = await publish({ input: { contentIds: ids, status: mode, publishAt } });
    if (r.data) {
      track(r.data.publishContent, `${ids.length} articles to WordPress`);
      // 20 go per job: the rest stay selected for the next one
      sel.setAll(ids, false);
    }
  };
  return (
    <>
      <PageHeader title="Content" />
      <div className="tabs" role="tablist" aria-label="Content views">
        {VIEWS.map((v, i) => (
          <button key={v.label} role="tab" aria-selected={view === i} className={view === i ? 'active' : ''} onClick={() => { setView(i); setPage(0); }}>
            {v.label}
          </button>
        ))}
      </div>
      <div className="filters" role="search">
        <label className="field grow">
          <span>Search</span>
          <input type="search" value={search} onChange={(e) => { setSearch(e.target.value); setPage(0); }} placeholder="Meta title or primary keyword" />
        </label>
      </div>
      {canWrite && (
        <div className="bulk-bar" aria-label="Publish to WordPress">
          <span className="muted">{sel.ids.size} selected</span>
          <select aria-label="WordPress status" value={mode} onChange={(e) => setMode(e.target.value as PublishStatus)}>
            <option value="DRAFT">as drafts</option>
            <option value="PUBLISH">published now</option>
            <option value="FUTURE">scheduled</option>
          </select>
          {mode === 'FUTURE' && <input aria-label="Publish at" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />}
          <button className="btn-primary" disabled={!sel.ids.size || pub.fetching || (mode === 'FUTURE' && !at)} onClick={doPublish}>
            Publish to WordPress{sel.ids.size > 20 ? ' (20 at a time)' : ''}
          </button>
          <ErrorBanner error={pub.error} />
        </div>
      )}
      <ErrorBanner error={error} />
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? null : rows.length === 0 ? (
        <Empty title="No articles here">Generate content from the Tasks page.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Content">
            <thead>
              <tr>
                {canWrite && (
                  <th scope="col">
                    <input type="checkbox" aria-label="Select all on this page" checked={rows.length > 0 && rows.every((c) => sel.has(c.id))} onChange={(e) => sel.setAll(rows.map((c) => c.id), e.target.checked)} />
                  </th>
                )}
                <th scope="col">Article</th>
                <th scope="col">Primary keyword</th>
                <th scope="col" className="num">Words</th>
                <th scope="col" className="num">Images</th>
                <th scope="col">Status</th>
                <th scope="col">WordPress</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  {canWrite && (
                    <td>
                      <input type="checkbox" aria-label={`Select ${c.metaTitle || c.task.title}`} checked={sel.has(c.id)} onChange={() => sel.toggle(c.id)} />
                    </td>
                  )}
                  <td>
                    <Link to={`/writer/content/${c.id}`}>{c.metaTitle || c.task.title}</Link>
                  </td>
                  <td>{c.primaryKeyword ?? '—'}</td>
                  <td className="num">{c.wordCount}</td>
                  <td className="num">{c.images.totalCount}</td>
                  <td>
                    <Badge value={c.status} />
                  </td>
                  <td>
                    <WordPressCell p={c.publishing} />
                  </td>
                  <td className="muted">{formatDate(c.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={data?.contents.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
    </>
  );
}

/** A content's post: link, WordPress's status, a badge when WordPress changed it. */
export function WordPressCell({ p }: { p?: { wpUrl?: string | null; wpStatus?: string | null; changedInWordPress: boolean; lastError?: string | null } | null }) {
  if (!p) return <span className="muted">—</span>;
  return (
    <span className="wp-cell">
      {p.wpUrl && p.wpStatus !== 'deleted' ? (
        <a href={p.wpUrl} target="_blank" rel="noreferrer">
          {humanize(p.wpStatus ?? 'post')}
        </a>
      ) : (
        p.wpStatus && <span>{humanize(p.wpStatus)}</span>
      )}
      {p.changedInWordPress && <Badge value="CHANGED_IN_WORDPRESS" />}
      {p.lastError && (
        <span className="error-text" title={p.lastError}>
          {' '}
          failed
        </span>
      )}
    </span>
  );
}

export function ContentListPage() {
  return <NeedSector>{(sectorId) => <ContentList key={sectorId} sectorId={sectorId} />}</NeedSector>;
}

export function ContentEditorPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: ContentQuery, variables: { id } });
  const [saved, save] = useMutation(UpdateContentMutation);
  const [prompts, genPrompts] = useMutation(GenerateImagePromptsMutation);
  const [imgs, genImages] = useMutation(GenerateImagesMutation);
  const { track } = useJobs();
  const canWrite = useCanWrite();
  const c = data?.content;
  const [form, setForm] = useState({ html: '', metaTitle: '', metaDescription: '', primaryKeyword: '', secondaryKeywords: '', status: 'DRAFT' as ContentStatus });
  const [perArticle, setPerArticle] = useState(3);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  useEffect(() => {
    if (c)
      setForm({
        html: c.html,
        metaTitle: c.metaTitle ?? '',
        metaDescription: c.metaDescription ?? '',
        primaryKeyword: c.primaryKeyword ?? '',
        secondaryKeywords: c.secondaryKeywords.join(', '),
        status: c.status,
      });
  }, [c?.id, c?.updatedAt]); // reload the form only when the stored article changes
  const dirty =
    !!c &&
    (form.html !== c.html ||
      form.metaTitle !== (c.metaTitle ?? '') ||
      form.metaDescription !== (c.metaDescription ?? '') ||
      form.primaryKeyword !== (c.primaryKeyword ?? '') ||
      form.secondaryKeywords !== c.secondaryKeywords.join(', ') ||
      form.status !== c.status);
  // viewers read the article: nothing of theirs is unsaved
  useUnsavedChangesPrompt(dirty && canWrite);
  if (fetching && !data) return <Loading />;
  if (!c)
    return (
      <>
        <PageHeader title="Content">
          <Link to="/writer/content">← All content</Link>
        </PageHeader>
        <ErrorBanner error={error} message={error ? undefined : 'Not found.'} />
      </>
    );
  const images = c.images.nodes;
  const pending = images.filter((i) => i.status !== 'GENERATED').map((i) => i.id);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  return (
    <>
      <PageHeader title={c.metaTitle || c.task.title}>
        <Link to="/writer/content">← All content</Link>
      </PageHeader>
      <form
        className="editor"
        onSubmit={async (e) => {
          e.preventDefault();
          const r = await save({
            input: {
              id: c.id,
              html: form.html,
              metaTitle: form.metaTitle,
              metaDescription: form.metaDescription,
              primaryKeyword: form.primaryKeyword,
              secondaryKeywords: form.secondaryKeywords.split(',').map((s) => s.trim()).filter(Boolean),
              status: form.status,
            },
          });
          if (r.data) setSavedAt(new Date().toLocaleTimeString());
        }}
      >
        <div className="card editor-meta">
          <label className="field">
            <span>Meta title</span>
            <input readOnly={!canWrite} value={form.metaTitle} onChange={(e) => set({ metaTitle: e.target.value })} />
          </label>
          <label className="field">
            <span>Meta description</span>
            <textarea readOnly={!canWrite} rows={2} value={form.metaDescription} onChange={(e) => set({ metaDescription: e.target.value })} />
          </label>
          <label className="field">
            <span>Primary keyword</span>
            <input readOnly={!canWrite} value={form.primaryKeyword} onChange={(e) => set({ primaryKeyword: e.target.value })} />
          </label>
          <label className="field">
            <span>Secondary keywords (comma separated)</span>
            <input readOnly={!canWrite} value={form.secondaryKeywords} onChange={(e) => set({ secondaryKeywords: e.target.value })} />
          </label>
          <label className="field">
            <span>Status</span>
            <select value={form.status} disabled={!canWrite} onChange={(e) => set({ status: e.target.value as ContentStatus })}>
              {(['DRAFT', 'REVIEW', 'PUBLISHED'] as const).map((s) => (
                <option key={s} value={s}>
                  {humanize(s)}
                </option>
              ))}
            </select>
          </label>
          <p className="muted">
            {c.wordCount} words{c.wpPostId ? ` · WordPress post ${c.wpPostId}` : ''} <WordPressCell p={c.publishing} />
          </p>
          <IfCanWrite>
            <button type="submit" className="btn-primary" disabled={saved.fetching}>
              {saved.fetching ? 'Saving…' : 'Save'}
            </button>
            {dirty && <span className="muted" data-testid="unsaved"> Unsaved changes</span>}
          </IfCanWrite>
          {savedAt && !saved.error && (
            <span className="muted" role="status">
              {' '}
              Saved at {savedAt}
            </span>
          )}
          <ErrorBanner error={saved.error} />
        </div>
        <div className="editor-panes">
          <label className="field">
            <span>HTML</span>
            <textarea readOnly={!canWrite} className="code" rows={24} value={form.html} onChange={(e) => set({ html: e.target.value })} />
          </label>
          <section className="preview card" aria-label="Preview">
            <div className="muted small">Preview (sanitised)</div>
            <div className="article" dangerouslySetInnerHTML={{ __html: sanitizeHtml(form.html) }} />
          </section>
        </div>
      </form>
      <section className="card" aria-label="Images">
        <div className="card-head">
          <h2>Images</h2>
          <IfCanWrite>
          <div className="row-actions">
            <label>
              In-article{' '}
              <select aria-label="In-article images per article" value={perArticle} onChange={(e) => setPerArticle(Number(e.target.value))}>
                {[1, 2, 3, 4, 5, 6].map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
            <button
              disabled={prompts.fetching}
              onClick={async () => {
                const r = await genPrompts({ input: { contentIds: [c.id], maxInArticle: perArticle } });
                if (r.data) track(r.data.generateImagePrompts, c.metaTitle ?? c.task.title);
              }}
            >
              Generate image prompts
            </button>
            <button
              className="btn-primary"
              disabled={!pending.length || imgs.fetching}
              onClick={async () => {
                const ids = pending.slice(0, 6);
                const r = await genImages({ input: { imageIds: ids } });
                if (r.data) track(r.data.generateImages, `${ids.length} images`);
              }}
            >
              Generate images{pending.length > 6 ? ' (6 at a time)' : ''}
            </button>
          </div>
          </IfCanWrite>
        </div>
        <ErrorBanner message={describeError(prompts.error ?? imgs.error)} />
        <Gallery images={images} />
      </section>
    </>
  );
}
