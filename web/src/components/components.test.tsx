import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/react';
import { JobCard } from './jobs';
import { Pager } from './ui';
import { ImportResult } from '../pages/Keywords';
import { WordPressCell } from '../pages/Content';
import { OutlineView } from '../pages/Ideas';
import { applyEvent, type LiveJob } from '../state';

const running: LiveJob = {
  id: 'j1', seq: 4, kind: 'GENERATE_CONTENT', status: 'RUNNING', phase: 'AI_CALL', percent: 44, itemsDone: 3, itemsTotal: 10, message: 'writing',
};

describe('JobCard', () => {
  it('shows phase, percent, items and a progress bar, and cancels', () => {
    const onCancel = vi.fn();
    render(<JobCard job={running} onCancel={onCancel} />);
    const bar = screen.getByRole('progressbar', { name: 'Generate content progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('44');
    expect(screen.getByText('Ai call')).toBeTruthy();
    expect(screen.getByText('44%')).toBeTruthy();
    expect(screen.getByText('3 of 10')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toHaveProperty('disabled', true);
  });

  it('shows the error of a failed job and offers no cancel', () => {
    render(<JobCard job={{ ...running, status: 'FAILED', error: 'provider said no' }} onCancel={() => {}} />);
    expect(screen.getByRole('alert').textContent).toBe('provider said no');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('shows a failed job in red with each item and its reason, and retries only when offered', async () => {
    const items = [
      { id: 'a', status: 'FAILED', error: 'could not connect to the provider' },
      { id: 'b', status: 'SUCCEEDED' },
    ];
    const onRetry = vi.fn(async () => null);
    render(
      <JobCard
        job={{ ...running, status: 'PARTIAL', phase: 'DONE', error: '1 of 2 items failed: could not connect to the provider', result: { summary: '1 of 2 articles written' }, items }}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByRole('alert').textContent).toBe('1 of 2 articles written — 1 of 2 items failed: could not connect to the provider');
    const failed = screen.getByRole('list', { name: 'Failed items' });
    expect(failed.textContent).toBe('#1 could not connect to the provider');
    expect(failed.querySelector('li')?.className).toBe('error-text');
    fireEvent.click(screen.getByRole('button', { name: 'Retry failed items (1)' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    // back to the button once the new job is queued
    expect(await screen.findByRole('button', { name: 'Retry failed items (1)' })).toBeTruthy();
  });

  it('tells what a cancelled job saved and offers no retry without the permission', () => {
    render(
      <JobCard
        job={{ ...running, status: 'CANCELLED', message: 'cancelled; saved before the cancel: 1 of 3 articles written', items: [{ id: 'a', status: 'SUCCEEDED' }, { id: 'b', status: 'CANCELLED' }] }}
      />,
    );
    expect(screen.getByText('cancelled; saved before the cancel: 1 of 3 articles written')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
  });

  it('shows the result summary of a finished job', () => {
    const onDismiss = vi.fn();
    render(<JobCard job={{ ...running, status: 'SUCCEEDED', phase: 'DONE', percent: 100, result: { summary: '10 articles' } }} onCancel={() => {}} onDismiss={onDismiss} />);
    expect(screen.getByText('10 articles')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss Generate content job' }));
    expect(onDismiss).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
  });
});

describe('applyEvent', () => {
  it('keeps the newest event per job and ignores stale or repeated ones', () => {
    const ev = (seq: number, percent: number) => ({ ...running, jobId: 'j1', seq, percent });
    let m = applyEvent({}, ev(2, 20));
    m = applyEvent(m, ev(5, 60));
    const same = applyEvent(m, ev(4, 40));
    expect(same).toBe(m);
    expect(m.j1.percent).toBe(60);
    expect(m.j1.id).toBe('j1');
  });
});

describe('Pager', () => {
  it('pages and changes the page size', () => {
    const onPage = vi.fn();
    const onPageSize = vi.fn();
    render(<Pager total={60} page={0} pageSize={25} onPage={onPage} onPageSize={onPageSize} />);
    expect(screen.getByText('1–25 of 60')).toBeTruthy();
    expect(screen.getByText('Page 1 of 3')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Previous' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(onPage).toHaveBeenCalledWith(1);
    fireEvent.change(screen.getByLabelText('Rows per page'), { target: { value: '50' } });
    expect(onPageSize).toHaveBeenCalledWith(50);
  });
});

describe('ImportResult', () => {
  it('lists each refused row with its line', () => {
    render(
      <ImportResult
        result={{
          created: 2,
          skipped: 1,
          ignoredColumns: ['CPC (USD)', 'Trend'],
          delimiter: ';',
          encoding: 'UTF-8',
          errors: [{ line: 4, message: 'difficulty must be 0–100' }, { line: 7, message: 'keyword is empty' }],
        }}
      />,
    );
    expect(screen.getByRole('status').textContent).toContain('2 created, 1 skipped as duplicates, 2 rows refused');
    expect(screen.getByTestId('ignored-columns').textContent).toBe('Columns not read: CPC (USD), Trend.');
    const rows = screen.getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['4difficulty must be 0–100', '7keyword is empty']);
  });
});

describe('OutlineView', () => {
  it('renders headings by level with notes and keywords', () => {
    render(
      <OutlineView
        idea={{ title: 'Pies', outline: { sections: [{ heading: 'Why pies', level: 2, notes: 'intro', targetKeywords: ['pie'] }, { heading: 'Crust', level: 3, notes: '', targetKeywords: [] }] } }}
      />,
    );
    const items = screen.getAllByRole('listitem');
    expect(items.map((i) => i.className)).toEqual(['h2', 'h3']);
    expect(items[0].textContent).toContain('Keywords: pie');
  });
});

describe('WordPressCell', () => {
  it('links the post with its WordPress status and flags changes made in WordPress', () => {
    render(<WordPressCell p={{ wpUrl: 'https://blog.test/a/', wpStatus: 'publish', changedInWordPress: true, lastError: null }} />);
    const link = screen.getByRole('link', { name: 'Publish' });
    expect(link.getAttribute('href')).toBe('https://blog.test/a/');
    expect(screen.getByText('Changed in wordpress')).toBeTruthy();
  });

  it('shows a deleted post without a link, and a failure', () => {
    render(<WordPressCell p={{ wpUrl: 'https://blog.test/a/', wpStatus: 'deleted', changedInWordPress: false, lastError: 'WordPress answered 413' }} />);
    expect(screen.queryByRole('link')).toBeNull();
    expect(screen.getByText('Deleted')).toBeTruthy();
    expect(screen.getByTitle('WordPress answered 413')).toBeTruthy();
  });
});
