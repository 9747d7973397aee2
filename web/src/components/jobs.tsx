import { useState } from 'react';
import { humanize, jobSummary } from '../lib/format';
import { TERMINAL, retryable, type LiveJob } from '../state';

const PHASES = ['INIT', 'PREP', 'AI_CALL', 'PARSE', 'SAVE', 'DONE'] as const;

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={p}>
      <div className="progress-fill" style={{ width: `${p}%` }} />
    </div>
  );
}

/** The failed (and cancelled) items of a finished job, each with its reason, in red. */
export function FailedItems({ job }: { job: Pick<LiveJob, 'items'> }) {
  const bad = (job.items ?? []).filter((i) => i.status !== 'SUCCEEDED');
  if (bad.length === 0) return null;
  return (
    <ul className="job-failures" aria-label="Failed items">
      {bad.map((i, n) => (
        <li key={i.id} className={i.status === 'FAILED' ? 'error-text' : 'muted'} data-item-status={i.status}>
          <span className="mono" title={i.id}>
            #{(job.items ?? []).indexOf(i) + 1 || n + 1}
          </span>{' '}
          {i.status === 'FAILED' ? i.error || 'failed' : 'not done: the job was cancelled first'}
        </li>
      ))}
    </ul>
  );
}

/** "Retry failed items": a new job over just those items. */
export function RetryButton({ job, onRetry }: { job: LiveJob | { status: string; items?: LiveJob['items'] }; onRetry?: () => Promise<string | null> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const n = retryable(job);
  if (!onRetry || n === 0) return null;
  return (
    <div className="job-actions">
      <button
        type="button"
        className="btn-small"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(null);
          void onRetry().then((e) => {
            setBusy(false);
            setError(e);
          });
        }}
      >
        {busy ? 'Retrying…' : `Retry failed items (${n})`}
      </button>
      {error && (
        <span className="error-text" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** What a finished job did: its summary, why it failed, what a cancel left saved. */
export function jobOutcomeText(job: Pick<LiveJob, 'status' | 'message' | 'error' | 'result'>): string {
  const summary = jobSummary(job.result);
  switch (job.status) {
    case 'FAILED':
      return job.error || job.message || 'The job failed.';
    case 'PARTIAL':
      return `${summary ?? job.message} — ${job.error ?? 'some items failed'}`;
    case 'CANCELLED':
      return job.message || 'Cancelled.';
    default:
      return summary ?? job.message ?? 'Done.';
  }
}

/** One job: function, phase, a live bar, "3 of 10", cancel; once finished what it did, each failed item with its reason, and "retry failed items". */
export function JobCard({
  job,
  onCancel,
  onDismiss,
  onRetry,
}: {
  job: LiveJob;
  onCancel?: () => void;
  onDismiss?: () => void;
  onRetry?: () => Promise<string | null>;
}) {
  const [cancelling, setCancelling] = useState(false);
  const finished = TERMINAL.has(job.status);
  const name = humanize(job.kind);
  const summary = jobSummary(job.result);
  return (
    <article className={`job job-${job.status.toLowerCase()}`} data-job-id={job.id} data-status={job.status} aria-label={`${name} job`}>
      <header className="job-head">
        <strong>{name}</strong>
        {job.label && <span className="muted"> · {job.label}</span>}
        <span className={`badge badge-${job.status.toLowerCase()}`}>{humanize(job.status)}</span>
        {finished && onDismiss && (
          <button type="button" className="btn-icon" onClick={onDismiss} aria-label={`Dismiss ${name} job`}>
            ×
          </button>
        )}
      </header>
      <ProgressBar percent={job.percent} label={`${name} progress`} />
      <div className="job-meta">
        <span className="job-phase" title={PHASES.join(' → ')}>
          {humanize(job.phase)}
        </span>
        <span className="job-percent">{job.percent}%</span>
        {job.itemsTotal > 0 && !finished && (
          <span className="job-items">
            {job.itemsDone} of {job.itemsTotal}
          </span>
        )}
        {finished && job.items && job.items.length > 0 && (
          <span className="job-items">
            {job.items.filter((i) => i.status === 'SUCCEEDED').length} of {job.items.length} saved
          </span>
        )}
      </div>
      {job.message && !finished && <p className="job-message muted">{job.message}</p>}
      {(job.status === 'FAILED' || job.status === 'PARTIAL') && (
        <p className="job-error" role="alert">
          {jobOutcomeText(job)}
        </p>
      )}
      {job.status === 'CANCELLED' && <p className="job-result muted">{jobOutcomeText(job)}</p>}
      {job.status === 'SUCCEEDED' && <p className="job-result">{summary ?? job.message ?? 'Done.'}</p>}
      {finished && <FailedItems job={job} />}
      {finished && <RetryButton job={job} onRetry={onRetry} />}
      {!finished && onCancel && (
        <div className="job-actions">
          <button
            type="button"
            className="btn-small"
            disabled={cancelling}
            onClick={() => {
              setCancelling(true);
              onCancel();
            }}
          >
            {cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
    </article>
  );
}
