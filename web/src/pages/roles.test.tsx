// The pages the publishing merge added, by role, and their error states.
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { WordPressPanel } from './WordPress';
import { ContentEditorPage, ContentListPage } from './Content';
import { ImagesPage } from './Images';
import { ClusterKeywords } from './Clusters';
import { gqlError, mockClient, workspace, wrapper, type Answers } from '../test/mock';
import type { Role } from '../gql/graphql';

const wp = {
  siteId: 'site1', url: 'https://blog.acme.test', username: 'ann', passwordHint: 'abcd…wxyz', status: 'CONNECTED',
  lastCheckedAt: null, lastError: null, hasBridgePlugin: true, webhookPath: '/webhooks/wordpress/site1', webhookSecret: null,
};
const connected: Answers = { SiteWordPress: () => ({ data: { site: { id: 'site1', wordpress: wp } } }) };
const notConnected: Answers = { SiteWordPress: () => ({ data: { site: { id: 'site1', wordpress: null } } }) };
const unreadable: Answers = { SiteWordPress: () => ({ error: gqlError('INTERNAL', 'database unavailable') }) };

function panel(role: Role, answers: Answers) {
  const m = mockClient(answers);
  render(<WordPressPanel siteId="site1" siteName="Acme Blog" />, { wrapper: wrapper(m.client, workspace(role)) });
  return m;
}
const buttons = () => screen.queryAllByRole('button').map((b) => b.textContent);

describe('WordPressPanel by role', () => {
  it('gives owners and admins connect, test, sync and disconnect', async () => {
    panel('ADMIN', connected);
    await screen.findByText('https://blog.acme.test');
    expect(buttons()).toEqual(['Test connection', 'Sync statuses', 'Disconnect']);
  });

  it('gives editors sync only', async () => {
    panel('EDITOR', connected);
    await screen.findByText('https://blog.acme.test');
    expect(buttons()).toEqual(['Sync statuses']);
  });

  it('shows viewers the connection and no action', async () => {
    panel('VIEWER', connected);
    await screen.findByText('https://blog.acme.test');
    expect(buttons()).toEqual([]);
  });

  it('offers the connect form to owners and admins only', async () => {
    panel('OWNER', notConnected);
    expect(await screen.findByRole('form', { name: 'Connect WordPress' })).toBeTruthy();
  });

  it('tells editors and viewers who connects', async () => {
    for (const role of ['EDITOR', 'VIEWER'] as const) {
      const { unmount } = render(<WordPressPanel siteId="site1" siteName="Acme Blog" />, { wrapper: wrapper(mockClient(notConnected).client, workspace(role)) });
      expect(await screen.findByText('Not connected. Owners and admins connect WordPress.')).toBeTruthy();
      expect(screen.queryByRole('form', { name: 'Connect WordPress' })).toBeNull();
      unmount();
    }
  });

  it('shows an unreadable connection as an error, not as "not connected" nor a connect form', async () => {
    panel('OWNER', unreadable);
    expect((await screen.findByRole('alert')).textContent).toMatch(/database unavailable/);
    expect(screen.queryByText(/Not connected/)).toBeNull();
    expect(screen.queryByRole('form', { name: 'Connect WordPress' })).toBeNull();
  });
});

const article = {
  id: 'c1', wordCount: 900, status: 'DRAFT', metaTitle: 'The apple pie guide', primaryKeyword: 'apple pie', updatedAt: '2026-12-01T10:00:00Z',
  task: { id: 't1', title: 'Apple pie' }, images: { totalCount: 0 }, publishing: null,
};
const contents: Answers = { Contents: () => ({ data: { contents: { totalCount: 1, nodes: [article] } } }) };

describe('Content list by role', () => {
  it('gives writers the publish bar and row selection', async () => {
    render(<ContentListPage />, { wrapper: wrapper(mockClient(contents).client, workspace('EDITOR')) });
    await screen.findByRole('link', { name: 'The apple pie guide' });
    expect(screen.getByRole('button', { name: 'Publish to WordPress' })).toBeTruthy();
    expect(screen.getByLabelText('Select all on this page')).toBeTruthy();
    expect(document.title).toBe('Content · igny8');
  });

  it('gives viewers neither', async () => {
    render(<ContentListPage />, { wrapper: wrapper(mockClient(contents).client, workspace('VIEWER')) });
    await screen.findByRole('link', { name: 'The apple pie guide' });
    expect(screen.queryByRole('button', { name: /Publish/ })).toBeNull();
    expect(screen.queryByLabelText('WordPress status')).toBeNull();
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
  });

  it('shows a failed list as an error only', async () => {
    render(<ContentListPage />, { wrapper: wrapper(mockClient({ Contents: () => ({ error: gqlError('INTERNAL', 'database unavailable') }) }).client, workspace('EDITOR')) });
    expect((await screen.findByRole('alert')).textContent).toMatch(/database unavailable/);
    expect(screen.queryByText('No articles here')).toBeNull();
  });
});

const full = {
  id: 'c1', html: '<p>Pie</p>', wordCount: 900, status: 'DRAFT', metaTitle: 'The apple pie guide', metaDescription: null, primaryKeyword: 'apple pie',
  secondaryKeywords: [], wpPostId: null, updatedAt: '2026-12-01T10:00:00Z', publishing: null, task: { id: 't1', title: 'Apple pie' },
  images: { totalCount: 0, nodes: [] },
};

describe('Content editor', () => {
  it('is read-only for viewers, with no save and no image actions', async () => {
    render(<ContentEditorPage />, { wrapper: wrapper(mockClient({ Content: () => ({ data: { content: full } }) }).client, workspace('VIEWER')) });
    await screen.findByRole('heading', { name: 'The apple pie guide' });
    expect(screen.getByLabelText('Meta title')).toHaveProperty('readOnly', true);
    expect(screen.getByLabelText('HTML')).toHaveProperty('readOnly', true);
    expect(screen.getByLabelText('Status')).toHaveProperty('disabled', true);
    expect(buttons()).toEqual([]);
  });

  it('is editable for writers', async () => {
    render(<ContentEditorPage />, { wrapper: wrapper(mockClient({ Content: () => ({ data: { content: full } }) }).client, workspace('EDITOR')) });
    await screen.findByRole('heading', { name: 'The apple pie guide' });
    expect(screen.getByLabelText('Meta title')).toHaveProperty('readOnly', false);
    expect(screen.getByRole('button', { name: 'Save' })).toBeTruthy();
  });

  it('names the page when the article cannot be read', async () => {
    render(<ContentEditorPage />, { wrapper: wrapper(mockClient({ Content: () => ({ error: gqlError('NOT_FOUND', 'content not found') }) }).client, workspace('EDITOR')) });
    expect((await screen.findByRole('alert')).textContent).toMatch(/Not found/);
    expect(document.title).toBe('Content · igny8');
  });
});

describe('Images', () => {
  const images: Answers = {
    Images: () => ({
      data: { images: { totalCount: 1, nodes: [{ id: 'im1', imageType: 'FEATURED', prompt: 'a pie', url: null, status: 'PENDING', position: 0, content: null, task: { id: 't1', title: 'Apple pie' } }] } },
    }),
  };
  it('shows a failed gallery as an error only', async () => {
    render(<ImagesPage />, { wrapper: wrapper(mockClient({ Images: () => ({ error: gqlError('INTERNAL', 'database unavailable') }) }).client, workspace('EDITOR')) });
    expect((await screen.findByRole('alert')).textContent).toMatch(/database unavailable/);
    expect(screen.queryByText('No images yet')).toBeNull();
  });

  it('gives viewers no image selection', async () => {
    render(<ImagesPage />, { wrapper: wrapper(mockClient(images).client, workspace('VIEWER')) });
    await screen.findByText('a pie');
    expect(screen.queryAllByRole('checkbox')).toEqual([]);
  });

  it('gives writers image selection', async () => {
    render(<ImagesPage />, { wrapper: wrapper(mockClient(images).client, workspace('EDITOR')) });
    await waitFor(() => expect(screen.getByLabelText('Select image 0')).toBeTruthy());
  });
});

describe('Cluster keywords', () => {
  it('shows a failed read as an error only', async () => {
    render(<ClusterKeywords id="cl1" />, { wrapper: wrapper(mockClient({ ClusterKeywords: () => ({ error: gqlError('INTERNAL', 'database unavailable') }) }).client, workspace('EDITOR')) });
    expect((await screen.findByRole('alert')).textContent).toMatch(/database unavailable/);
    expect(screen.queryByText('No keywords in this cluster')).toBeNull();
  });
});
