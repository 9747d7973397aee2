import { useEffect, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { describeError } from '../lib/errors';
import { humanize } from '../lib/format';

export function ErrorBanner({ error, message }: { error?: CombinedError | null; message?: string | null }) {
  const text = message ?? describeError(error);
  if (!text) return null;
  return (
    <div className="alert alert-error" role="alert">
      {text}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  // the browser tab names the page
  useEffect(() => {
    document.title = `${title} · igny8`;
  }, [title]);
  return (
    <div className="page-header">
      <h1>{title}</h1>
      <div className="page-actions">{children}</div>
    </div>
  );
}

export function Badge({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return <span className={`badge badge-${value.toLowerCase()}`}>{humanize(value)}</span>;
}

export const PAGE_SIZES = [10, 25, 50, 100];

export function Pager(props: {
  total: number;
  page: number;
  pageSize: number;
  onPage: (p: number) => void;
  onPageSize: (n: number) => void;
}) {
  const { total, page, pageSize, onPage, onPageSize } = props;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : page * pageSize + 1;
  const to = Math.min(total, (page + 1) * pageSize);
  return (
    <nav className="pager" aria-label="Pagination">
      <span>
        {from}–{to} of {total}
      </span>
      <label>
        Rows per page{' '}
        <select value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page === 0}>
        Previous
      </button>
      <span aria-current="page">
        Page {page + 1} of {pages}
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page + 1 >= pages}>
        Next
      </button>
    </nav>
  );
}

export function Select<T extends string>(props: {
  label: string;
  value: T | '';
  options: readonly T[];
  onChange: (v: T | '') => void;
  any?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as T | '')}>
        <option value="">{props.any ?? 'Any'}</option>
        {props.options.map((o) => (
          <option key={o} value={o}>
            {humanize(o)}
          </option>
        ))}
      </select>
    </label>
  );
}
