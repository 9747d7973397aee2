import { useState } from 'react';
import { humanize, jobSummary } from '../lib/format';
import { TERMINAL, type LiveJob } from '../state';

const PHASES = ['INIT', 'PREP', 'AI_CALL', 'PARSE', 'SAVE', 'DONE'] as const;

export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={p}>
      <div className="progress-fill" style={{ width: `${p}%` }} />
    </div>
  );
}

/** One job: function, phase, a live bar, "3 of 10", cancel; the result or error once finished. */
export function JobCard({ job, onCancel, onDismiss }: { job: LiveJob; onCancel?: () => void; onDismiss?: () => void }) {
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
        {job.itemsTotal > 0 && (
          <span className="job-items">
            {job.itemsDone} of {job.itemsTotal}
          </span>
        )}
      </div>
      {job.message && !finished && <p className="job-message muted">{job.message}</p>}
      {job.status === 'FAILED' && (
        <p className="job-error" role="alert">
          {job.error || job.message || 'The job failed.'}
        </p>
      )}
      {job.status === 'SUCCEEDED' && <p className="job-result">{summary ?? job.message ?? 'Done.'}</p>}
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
