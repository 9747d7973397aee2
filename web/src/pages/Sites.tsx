import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  CreateSectorMutation,
  CreateSiteMutation,
  DeleteSectorMutation,
  DeleteSiteMutation,
  IndustriesQuery,
  UpdateSectorMutation,
  UpdateSiteMutation,
} from '../lib/ops';
import { Badge, Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { useWorkspace, type SiteNode } from '../state';
import { IfCanManage, IfCanWrite } from '../components/access';
import { WordPressPanel } from './WordPress';

/** The library's industries (for a site) and their sectors (for a sector to follow): the seed library opens on them. */
function useIndustries() {
  const [{ data }] = useQuery({ query: IndustriesQuery });
  return data?.industries ?? [];
}

function SectorForm({ site }: { site: SiteNode }) {
  const [name, setName] = useState('');
  const [follows, setFollows] = useState('');
  const industries = useIndustries();
  const [state, create] = useMutation(CreateSectorMutation);
  const { setSector } = useWorkspace();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ input: { siteId: site.id, name, industrySectorId: follows || null } });
    if (r.data) {
      setName('');
      setFollows('');
      setSector(r.data.createSector.id);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit}>
      <label className="field">
        <span>New sector in {site.name}</span>
        <input name="sectorName" required value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Recipes" />
      </label>
      <label className="field">
        <span>Seed library sector (optional)</span>
        <select value={follows} onChange={(e) => setFollows(e.target.value)}>
          <option value="">None</option>
          {industries.map((i) => (
            <optgroup key={i.id} label={i.name}>
              {i.sectors.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <button type="submit" disabled={state.fetching}>
        Add sector
      </button>
      <ErrorBanner error={state.error} />
    </form>
  );
}

function SiteCard({ site }: { site: SiteNode }) {
  const { site: current, setSite } = useWorkspace();
  const [upd, updateSite] = useMutation(UpdateSiteMutation);
  const [del, deleteSite] = useMutation(DeleteSiteMutation);
  const [sec, updateSector] = useMutation(UpdateSectorMutation);
  const [delSec, deleteSector] = useMutation(DeleteSectorMutation);
  return (
    <section className="card" aria-label={`Site ${site.name}`}>
      <div className="card-head">
        <div>
          <h2>{site.name}</h2>
          <span className="muted">
            {site.domain ?? 'no domain'} · /{site.slug}
          </span>
        </div>
        <div className="row-actions">
          {current?.id === site.id ? <Badge value="CURRENT" /> : <button onClick={() => setSite(site.id)}>Work on this site</button>}
          <IfCanManage>
            <button onClick={() => updateSite({ input: { id: site.id, isActive: !site.isActive } })} disabled={upd.fetching}>
              {site.isActive ? 'Deactivate' : 'Activate'}
            </button>
            <button
              className="btn-danger"
              onClick={() => window.confirm(`Delete ${site.name} and everything in it?`) && deleteSite({ input: { id: site.id } })}
              disabled={del.fetching}
            >
              Delete
            </button>
          </IfCanManage>
        </div>
      </div>
      <ErrorBanner error={upd.error ?? del.error ?? sec.error ?? delSec.error} />
      {site.sectors.nodes.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Sector</th>
              <th scope="col">Slug</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {site.sectors.nodes.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td className="muted">{s.slug}</td>
                <td>
                  <Badge value={s.isActive ? 'ACTIVE' : 'INACTIVE'} />
                </td>
                <td className="row-actions">
                  <IfCanWrite>
                  <button className="btn-small" onClick={() => updateSector({ input: { id: s.id, isActive: !s.isActive } })}>
                    {s.isActive ? 'Deactivate' : 'Activate'}
                  </button>
                  <button
                    className="btn-small btn-danger"
                    onClick={() => window.confirm(`Delete sector ${s.name}?`) && deleteSector({ input: { id: s.id } })}
                  >
                    Delete
                  </button>
                  </IfCanWrite>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Empty title="No sectors yet">Add a sector to start planning keywords (at most 5 active per site).</Empty>
      )}
      <IfCanWrite>
        <SectorForm site={site} />
      </IfCanWrite>
      <WordPressPanel siteId={site.id} siteName={site.name} />
    </section>
  );
}

export function SitesPage() {
  const { sites, sitesLoading, setSite } = useWorkspace();
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const [industryId, setIndustryId] = useState('');
  const industries = useIndustries();
  const [state, create] = useMutation(CreateSiteMutation);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ input: { name, domain: domain || null, industryId: industryId || null } });
    if (r.data) {
      setName('');
      setDomain('');
      setIndustryId('');
      setSite(r.data.createSite.id);
    }
  };
  return (
    <>
      <PageHeader title="Sites & sectors" />
      <IfCanManage>
<form className="card inline-form" onSubmit={submit} aria-label="New site">
        <label className="field">
          <span>Site name</span>
          <input name="siteName" required value={name} onChange={(e) => setName(e.target.value)} placeholder="My Blog" />
        </label>
        <label className="field">
          <span>Domain (optional)</span>
          <input name="siteDomain" value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="blog.example.com" />
        </label>
        <label className="field">
          <span>Industry (optional)</span>
          <select value={industryId} onChange={(e) => setIndustryId(e.target.value)}>
            <option value="">None</option>
            {industries.map((i) => (
              <option key={i.id} value={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary" disabled={state.fetching}>
          Create site
        </button>
        <ErrorBanner error={state.error} />
      </form>
</IfCanManage>
      {sitesLoading ? (
        <Loading />
      ) : sites.length ? (
        sites.map((s) => <SiteCard key={s.id} site={s} />)
      ) : (
        <Empty title="No sites yet">Create your first site above.</Empty>
      )}
    </>
  );
}
