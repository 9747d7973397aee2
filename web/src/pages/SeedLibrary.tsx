import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { AddSeedKeywordsMutation, IndustriesQuery, SectorIndustryQuery, SectorKeywordTextsQuery, SeedKeywordsQuery } from '../lib/ops';
import type { KeywordIntent, SectorIndustryQuery as SectorIndustryData, SeedKeywordFilter } from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select } from '../components/ui';
import { useCanWrite } from '../components/access';
import { useSelection } from '../lib/selection';
import { describeErrorWithCode } from '../lib/errors';
import { formatNumber } from '../lib/format';
import { useWorkspace } from '../state';

const INTENTS = ['INFORMATIONAL', 'NAVIGATIONAL', 'COMMERCIAL', 'TRANSACTIONAL'] as const;
/** Keywords one `addSeedKeywords` call takes (the API's bulk limit). */
export const ADD_MAX = 1000;
/** Rows per request when reading a sector's keyword texts (the API's page limit). */
const KEY_PAGE = 500;

/** Which part of the library is shown: an industry ('' = all) and one of its sectors ('' = all). */
export interface Choice {
  industryId: string;
  industrySectorId: string;
}
export interface SeedFilters {
  search: string;
  intent: KeywordIntent | '';
}

/** What the server compares to find a keyword already in a sector (`core::planner::keyword_key`). */
export function keywordKey(text: string): string {
  return text.trim().split(/\s+/).join(' ').toLowerCase();
}

/** The library opens on the industry sector the current sector follows, or else the site's industry. */
export function defaultChoice(sector: SectorIndustryData['sector'] | null | undefined): Choice {
  const followed = sector?.industrySector;
  if (followed) return { industryId: followed.industry.id, industrySectorId: followed.id };
  return { industryId: sector?.site.industry?.id ?? '', industrySectorId: '' };
}

export function seedFilter(choice: Choice, f: SeedFilters): SeedKeywordFilter {
  return {
    industryId: choice.industrySectorId ? undefined : choice.industryId || undefined,
    industrySectorId: choice.industrySectorId || undefined,
    intent: f.intent || undefined,
    search: f.search.trim() || undefined,
  };
}

/** The rows of a page that can still be added: those not in the sector yet. */
export function addableIds(rows: { id: string; keyword: string }[], inSector: Set<string> | null): string[] {
  return rows.filter((r) => !inSector?.has(keywordKey(r.keyword))).map((r) => r.id);
}

/** The success line after `addSeedKeywords`. */
export function addedMessage(created: number, skipped: number, sectorName: string): string {
  const added = created === 1 ? '1 keyword' : `${formatNumber(created)} keywords`;
  const head = created === 0 ? `Nothing new added to ${sectorName}` : `Added ${added} to ${sectorName}`;
  if (!skipped) return `${head}.`;
  return `${head}; ${skipped === 1 ? '1 was' : `${formatNumber(skipped)} were`} already there.`;
}

/**
 * The keyword keys of a sector, read a page at a time; `null` while loading.
 * Reloads when `version` changes (after an add).
 */
function useSectorKeys(sectorId: string | null, version: number): { keys: Set<string> | null; error: CombinedError | null } {
  const client = useClient();
  const [state, setState] = useState<{ keys: Set<string> | null; error: CombinedError | null }>({ keys: null, error: null });
  useEffect(() => {
    if (!sectorId) return;
    let live = true;
    (async () => {
      const keys = new Set<string>();
      for (let offset = 0; ; offset += KEY_PAGE) {
        const r = await client.query(SectorKeywordTextsQuery, { sectorId, first: KEY_PAGE, offset }, { requestPolicy: 'network-only' }).toPromise();
        if (!live) return;
        if (r.error || !r.data) return setState({ keys: null, error: r.error ?? null });
        for (const k of r.data.keywords.nodes) keys.add(keywordKey(k.keyword));
        if (r.data.keywords.nodes.length < KEY_PAGE || offset + KEY_PAGE >= r.data.keywords.totalCount) break;
      }
      setState({ keys, error: null });
    })();
    return () => {
      live = false;
    };
  }, [client, sectorId, version]);
  return state;
}

export function SeedLibrary({ sectorId, sectorName, canWrite }: { sectorId: string | null; sectorName: string; canWrite: boolean }) {
  const [{ data: industries, error: industriesError }] = useQuery({ query: IndustriesQuery });
  const [{ data: sectorData, fetching: sectorFetching, error: sectorError }] = useQuery({
    query: SectorIndustryQuery,
    variables: { id: sectorId ?? '' },
    pause: !sectorId,
  });
  const [picked, setPicked] = useState<Choice | null>(null);
  const [filters, setFilters] = useState<SeedFilters>({ search: '', intent: '' });
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(50);
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const sel = useSelection();
  // the default waits for the current sector's industry (an unreadable sector opens on all industries)
  const defaultKnown = !sectorId || !!sectorData || !!sectorError;
  const choice = picked ?? defaultChoice(sectorData?.sector);
  const { industryId, industrySectorId } = choice;
  const filter = useMemo(() => seedFilter({ industryId, industrySectorId }, filters), [industryId, industrySectorId, filters]);
  const [{ data, fetching, error }] = useQuery({
    query: SeedKeywordsQuery,
    variables: { filter, first: pageSize, offset: page * pageSize },
    pause: !defaultKnown,
  });
  const { keys: inSector, error: keysError } = useSectorKeys(sectorId, version);
  const [adding, addSeeds] = useMutation(AddSeedKeywordsMutation);
  useEffect(() => setPage(0), [filter, pageSize]);

  const industry = industries?.industries.find((i) => i.id === choice.industryId) ?? null;
  const rows = data?.seedKeywords.nodes ?? [];
  const total = data?.seedKeywords.totalCount ?? 0;
  const pageAddable = addableIds(rows, inSector);
  const n = sel.ids.size;
  const canAdd = canWrite && !!sectorId;
  const pick = (patch: Partial<Choice>) => {
    setPicked({ ...choice, ...patch });
    setNotice(null);
  };
  const add = async () => {
    if (!sectorId) return;
    setNotice(null);
    setActionError(null);
    const r = await addSeeds({ input: { sectorId, seedKeywordIds: sel.list } });
    if (r.error) return setActionError(`Nothing was added. ${describeErrorWithCode(r.error)}`);
    if (r.data) {
      setNotice(addedMessage(r.data.addSeedKeywords.created, r.data.addSeedKeywords.skipped, sectorName));
      sel.clear();
      setVersion((v) => v + 1);
    }
  };

  return (
    <>
      <PageHeader title="Seed library">
        {sectorId && <Link to="/planner/keywords">Keywords of {sectorName} →</Link>}
      </PageHeader>
      <p className="muted">
        Common searches for each industry and sector, with volume, difficulty and intent.{' '}
        {canAdd ? `Pick some and add them to ${sectorName}.` : canWrite ? '' : 'Viewers browse the library; owners, admins and editors add from it.'}
      </p>
      {canWrite && !sectorId && (
        <p className="alert alert-warn">
          Pick or add a sector to add keywords to it. <Link to="/sites">Go to sites &amp; sectors</Link>
        </p>
      )}
      <form className="filters" role="search" aria-label="Filter the seed library" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>Industry</span>
          <select aria-label="Industry" value={choice.industryId} onChange={(e) => pick({ industryId: e.target.value, industrySectorId: '' })}>
            <option value="">All industries</option>
            {industries?.industries.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Industry sector</span>
          <select aria-label="Industry sector" value={choice.industrySectorId} disabled={!industry} onChange={(e) => pick({ industrySectorId: e.target.value })}>
            <option value="">{industry ? `All of ${industry.name}` : 'Pick an industry first'}</option>
            {industry?.sectors.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>Search</span>
          <input type="search" value={filters.search} onChange={(e) => setFilters((f) => ({ ...f, search: e.target.value }))} placeholder="Keyword contains…" />
        </label>
        <Select label="Intent" value={filters.intent} options={INTENTS} onChange={(v) => setFilters((f) => ({ ...f, intent: v }))} />
        <button type="button" className="btn-ghost" onClick={() => setFilters({ search: '', intent: '' })}>
          Clear
        </button>
      </form>
      {canAdd && (
        <div className="bulkbar" aria-live="polite">
          <span>{n ? `${n} selected` : 'Select keywords to add'}</span>
          <button className="btn-primary" disabled={!n || n > ADD_MAX || adding.fetching} onClick={add}>
            {adding.fetching ? 'Adding…' : `Add to ${sectorName}`}
          </button>
          {n > 0 && (
            <button type="button" className="btn-ghost" onClick={sel.clear}>
              Clear selection
            </button>
          )}
          {n > ADD_MAX && <span className="muted">At most {ADD_MAX} per add.</span>}
        </div>
      )}
      <ErrorBanner message={actionError} />
      {notice && (
        <div className="alert alert-ok" role="status">
          {notice} <Link to="/planner/keywords">See them on the Keywords page</Link>
        </div>
      )}
      <ErrorBanner error={industriesError ?? keysError} />
      <ErrorBanner error={error} />
      {(fetching || sectorFetching) && !data ? (
        <Loading />
      ) : error && !data ? null : rows.length === 0 ? (
        <Empty title="No seed keywords match">Pick another industry or sector, or clear the filters.</Empty>
      ) : (
        <div className="table-wrap">
          <table aria-label="Seed keywords">
            <thead>
              <tr>
                {canAdd && (
                  <th scope="col" className="check">
                    <input
                      type="checkbox"
                      aria-label="Select all on this page"
                      disabled={pageAddable.length === 0}
                      checked={pageAddable.length > 0 && pageAddable.every((id) => sel.has(id))}
                      onChange={(e) => sel.setAll(pageAddable, e.target.checked)}
                    />
                  </th>
                )}
                <th scope="col">Keyword</th>
                <th scope="col" className="num">
                  Volume
                </th>
                <th scope="col" className="num">
                  Difficulty
                </th>
                <th scope="col">Intent</th>
                <th scope="col">Industry sector</th>
                {sectorId && <th scope="col">In {sectorName}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => {
                const there = inSector?.has(keywordKey(s.keyword)) ?? false;
                return (
                  <tr key={s.id} className={sel.has(s.id) ? 'selected' : ''} data-in-sector={there ? 'yes' : 'no'}>
                    {canAdd && (
                      <td className="check">
                        <input
                          type="checkbox"
                          aria-label={`Select ${s.keyword}`}
                          disabled={there}
                          checked={!there && sel.has(s.id)}
                          onChange={() => sel.toggle(s.id)}
                        />
                      </td>
                    )}
                    <td>{s.keyword}</td>
                    <td className="num">{formatNumber(s.volume)}</td>
                    <td className="num">{s.difficulty ?? '—'}</td>
                    <td>
                      <Badge value={s.intent} />
                    </td>
                    <td className="muted">{s.industrySector.name}</td>
                    {sectorId && <td>{inSector === null ? <span className="muted">…</span> : there ? <Badge value="ADDED" /> : <span className="muted">—</span>}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={total} page={page} pageSize={pageSize} onPage={setPage} onPageSize={setPageSize} />
    </>
  );
}

export function SeedLibraryPage() {
  const { site, sectorId, sitesLoading } = useWorkspace();
  const canWrite = useCanWrite();
  if (sitesLoading) return <Loading />;
  const sectorName = site?.sectors.nodes.find((s) => s.id === sectorId)?.name ?? 'the sector';
  return <SeedLibrary key={sectorId ?? ''} sectorId={sectorId} sectorName={sectorName} canWrite={canWrite} />;
}
