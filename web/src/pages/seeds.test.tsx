import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { addableIds, addedMessage, defaultChoice, keywordKey, SeedLibraryPage, seedFilter } from './SeedLibrary';
import { KeywordsEmpty } from './Keywords';
import { SitesPage } from './Sites';
import { gqlError, mockClient, workspace, wrapper, type Answers } from '../test/mock';
import type { Role } from '../gql/graphql';
import { MemoryRouter } from 'react-router';

const industries = {
  industries: [
    { id: 'i1', name: 'Food & Cooking', sectors: [{ id: 'is1', name: 'Baking' }, { id: 'is2', name: 'Grilling' }] },
    { id: 'i2', name: 'Marketing', sectors: [{ id: 'is3', name: 'SEO' }] },
  ],
};
const seed = (id: string, keyword: string, sector = { id: 'is1', name: 'Baking' }) => ({
  id, keyword, volume: 1200, difficulty: 40, intent: 'INFORMATIONAL', industrySector: sector,
});
const baking = [seed('s1', 'what is baking'), seed('s2', 'Baking Tips'), seed('s3', 'best baking tools')];
const seo = [seed('s4', 'what is seo', { id: 'is3', name: 'SEO' }), seed('s5', 'seo tips', { id: 'is3', name: 'SEO' })];

function answers(patch: Partial<Answers> = {}): Answers {
  return {
    Industries: () => ({ data: industries }),
    SectorIndustry: () => ({
      data: { sector: { id: 'sec1', name: 'Baking', industrySector: { id: 'is1', industry: { id: 'i1' } }, site: { id: 'site1', industry: null } } },
    }),
    SeedKeywords: (v) => {
      const f = v.filter as { industrySectorId?: string; industryId?: string };
      const nodes = f.industrySectorId === 'is1' ? baking : f.industryId === 'i2' ? seo : [...baking, ...seo];
      return { data: { seedKeywords: { totalCount: nodes.length, nodes } } };
    },
    // "baking tips" is in the sector already, spelt differently
    SectorKeywordTexts: () => ({ data: { keywords: { totalCount: 1, nodes: [{ id: 'k1', keyword: ' Baking   TIPS' }] } } }),
    AddSeedKeywords: () => ({ data: { addSeedKeywords: { created: 2, skipped: 1 } } }),
    ...patch,
  } as Answers;
}

function renderAs(role: Role, a = answers()) {
  const m = mockClient(a);
  render(<SeedLibraryPage />, { wrapper: wrapper(m.client, workspace(role)) });
  return m;
}

const row = (keyword: string) => screen.getByRole('cell', { name: keyword }).closest('tr') as HTMLTableRowElement;

describe('seed library logic', () => {
  it('compares keywords as the server does', () => {
    expect(keywordKey('  Best   Baking TOOLS ')).toBe('best baking tools');
    expect(keywordKey('ÉCOLE')).toBe(keywordKey('école'));
  });

  it("defaults to the industry sector the current sector follows, else the site's industry", () => {
    const site = { id: 'site1', industry: { id: 'i2' } };
    expect(defaultChoice({ id: 's', name: 'x', industrySector: { id: 'is1', industry: { id: 'i1' } }, site })).toEqual({ industryId: 'i1', industrySectorId: 'is1' });
    expect(defaultChoice({ id: 's', name: 'x', industrySector: null, site })).toEqual({ industryId: 'i2', industrySectorId: '' });
    expect(defaultChoice({ id: 's', name: 'x', industrySector: null, site: { id: 'site1', industry: null } })).toEqual({ industryId: '', industrySectorId: '' });
    expect(defaultChoice(null)).toEqual({ industryId: '', industrySectorId: '' });
  });

  it('filters by the industry sector when one is picked, else by the industry', () => {
    expect(seedFilter({ industryId: 'i1', industrySectorId: 'is1' }, { search: ' tips ', intent: 'COMMERCIAL' })).toEqual({
      industryId: undefined, industrySectorId: 'is1', intent: 'COMMERCIAL', search: 'tips',
    });
    expect(seedFilter({ industryId: 'i1', industrySectorId: '' }, { search: '', intent: '' })).toEqual({
      industryId: 'i1', industrySectorId: undefined, intent: undefined, search: undefined,
    });
  });

  it('offers only the rows not in the sector yet', () => {
    expect(addableIds(baking, new Set(['baking tips']))).toEqual(['s1', 's3']);
    expect(addableIds(baking, null)).toEqual(['s1', 's2', 's3']);
  });

  it('says what was added and what was there already', () => {
    expect(addedMessage(3, 0, 'Baking')).toBe('Added 3 keywords to Baking.');
    expect(addedMessage(1, 1, 'Baking')).toBe('Added 1 keyword to Baking; 1 was already there.');
    expect(addedMessage(0, 2, 'Baking')).toBe('Nothing new added to Baking; 2 were already there.');
  });
});

describe('SeedLibraryPage', () => {
  it("opens on the current sector's industry sector, titled, and marks what the sector has", async () => {
    const m = renderAs('EDITOR');
    await screen.findByRole('cell', { name: 'what is baking' });
    expect(document.title).toBe('Seed library · igny8');
    expect(m.of('SeedKeywords')[0].variables.filter).toEqual({ industrySectorId: 'is1' }); // no request for "all" first
    expect((screen.getByLabelText('Industry') as HTMLSelectElement).value).toBe('i1');
    expect((screen.getByLabelText('Industry sector') as HTMLSelectElement).value).toBe('is1');
    await waitFor(() => expect(row('Baking Tips').dataset.inSector).toBe('yes'));
    expect(within(row('Baking Tips')).getByText('Added')).toBeTruthy();
    expect(screen.getByLabelText('Select Baking Tips')).toHaveProperty('disabled', true);
    expect(row('what is baking').dataset.inSector).toBe('no');
  });

  it('select all adds the page to the selection, and the add reports created and skipped', async () => {
    const m = renderAs('EDITOR');
    await waitFor(() => expect(row('Baking Tips').dataset.inSector).toBe('yes'));
    fireEvent.click(screen.getByLabelText('Select what is baking'));
    // another industry: select all adds its page to the earlier pick
    fireEvent.change(screen.getByLabelText('Industry'), { target: { value: 'i2' } });
    await screen.findByRole('cell', { name: 'seo tips' });
    expect(m.of('SeedKeywords').at(-1)?.variables.filter).toEqual({ industryId: 'i2' });
    fireEvent.click(screen.getByLabelText('Select all on this page'));
    expect(screen.getByText('3 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add to Baking' }));
    const ok = await screen.findByText(/Added 2 keywords to Baking; 1 was already there\./);
    expect(ok.closest('[role="status"]')).toBeTruthy();
    expect(m.of('AddSeedKeywords')[0].variables.input).toEqual({ sectorId: 'sec1', seedKeywordIds: ['s1', 's4', 's5'] });
    expect(screen.getByText('Select keywords to add')).toBeTruthy(); // the selection is cleared
    await waitFor(() => expect(m.of('SectorKeywordTexts').length).toBe(2)); // what the sector holds is read again
  });

  it('shows a refused add with the reason and the code, and keeps the selection', async () => {
    renderAs('ADMIN', answers({ AddSeedKeywords: () => ({ error: gqlError('LIMIT_EXCEEDED', 'at most 500 keywords on the Free plan') }) }));
    fireEvent.click(await screen.findByLabelText('Select what is baking'));
    fireEvent.click(screen.getByRole('button', { name: 'Add to Baking' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Nothing was added. Limit reached: at most 500 keywords on the Free plan (LIMIT_EXCEEDED)');
    expect(screen.getByText('1 selected')).toBeTruthy();
    expect(screen.queryByRole('status', { name: /Added/ })).toBeNull();
  });

  it('lets a viewer browse with no selection and no add button', async () => {
    renderAs('VIEWER');
    await screen.findByRole('cell', { name: 'what is baking' });
    await waitFor(() => expect(row('Baking Tips').dataset.inSector).toBe('yes'));
    expect(screen.queryByRole('button', { name: /^Add/ })).toBeNull();
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
    expect(screen.getByText(/Viewers browse the library/)).toBeTruthy();
  });

  it('shows a failed read as an error only, never also as "no seed keywords"', async () => {
    renderAs('EDITOR', answers({ SeedKeywords: () => ({ error: gqlError('INTERNAL', 'database unavailable') }) }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/database unavailable/);
    expect(screen.queryByText('No seed keywords match')).toBeNull();
  });

  it('says when nothing matches', async () => {
    renderAs('EDITOR', answers({ SeedKeywords: () => ({ data: { seedKeywords: { totalCount: 0, nodes: [] } } }) }));
    expect(await screen.findByText('No seed keywords match')).toBeTruthy();
  });
});

describe('KeywordsEmpty', () => {
  it('leads an empty sector to the seed library', () => {
    render(<KeywordsEmpty filtered={false} canWrite />, { wrapper: MemoryRouter });
    expect(screen.getByText('No keywords yet')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'add from the seed library' }).getAttribute('href')).toBe('/planner/seeds');
  });

  it('offers a viewer browsing only', () => {
    render(<KeywordsEmpty filtered canWrite={false} />, { wrapper: MemoryRouter });
    expect(screen.getByText('No keywords match')).toBeTruthy();
    expect(screen.queryByText(/import a CSV/i)).toBeNull();
    expect(screen.getByRole('link', { name: 'browse the seed library' })).toBeTruthy();
  });
});

describe('Sites: what the library opens on', () => {
  it('creates a site with an industry and a sector that follows an industry sector', async () => {
    const m = mockClient({
      Industries: () => ({ data: industries }),
      SiteWordPress: () => ({ data: { site: { id: 'site1', wordpress: null } } }),
      CreateSite: () => ({ data: { createSite: { id: 'site2', name: 'Pies', slug: 'pies', domain: null, isActive: true } } }),
      CreateSector: () => ({ data: { createSector: { id: 'sec2', name: 'Pies', slug: 'pies', isActive: true } } }),
    });
    render(<SitesPage />, { wrapper: wrapper(m.client, workspace('OWNER')) });
    await screen.findByRole('option', { name: 'Marketing' });
    fireEvent.change(screen.getByLabelText('Site name'), { target: { value: 'Pies' } });
    fireEvent.change(screen.getByLabelText('Industry (optional)'), { target: { value: 'i1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create site' }));
    await waitFor(() => expect(m.of('CreateSite')[0]?.variables.input).toEqual({ name: 'Pies', domain: null, industryId: 'i1' }));
    fireEvent.change(screen.getByLabelText('New sector in Acme Blog'), { target: { value: 'Pies' } });
    fireEvent.change(screen.getByLabelText('Seed library sector (optional)'), { target: { value: 'is1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add sector' }));
    await waitFor(() => expect(m.of('CreateSector')[0]?.variables.input).toEqual({ siteId: 'site1', name: 'Pies', industrySectorId: 'is1' }));
  });
});
