import { useState } from 'react';
import { useQuery } from 'urql';
import { JobsQuery } from '../lib/ops';
import type { AiFunction } from '../gql/graphql';
import { Badge, Empty, ErrorBanner, Loading, PageHeader, Pager, Select } from '../components/ui';
import { FailedItems, JobCard, RetryButton, jobOutcomeText } from '../components/jobs';
import { useCanWrite } from '../components/access';
import { formatDate, humanize } from '../lib/format';
import { TERMINAL, useJobs } from '../state';

const FUNCTIONS = ['AUTO_CLUSTER', 'GENERATE_IDEAS', 'GENERATE_CONTENT', 'GENERATE_IMAGE_PROMPTS', 'GENERATE_IMAGES'] as const;

export function JobsPage() {
  const { jobs: live, cancel, retry } = useJobs();
  const canWrite = useCanWrite();
  const [fn, setFn] = useState<AiFunction | ''>('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [{ data, fetching, error }] = useQuery({
    query: JobsQuery,
    variables: { filter: { function: fn || undefined, active: false }, first: pageSize, offset: page * pageSize },
  });
  const running = live.filter((j) => !TERMINAL.has(j.status));
  const rows = data?.jobs.nodes ?? [];
  return (
    <>
      <PageHeader title="Jobs" />
      <section aria-label="Running jobs">
        <h2>Running</h2>
        {running.length ? (
          <div className="job-grid">
            {running.map((j) => (
              <JobCard key={j.id} job={j} onCancel={canWrite ? () => void cancel(j.id) : undefined} />
            ))}
          </div>
        ) : (
          <Empty title="Nothing running">Jobs you start show their progress here live.</Empty>
        )}
      </section>
      <section aria-label="Finished jobs">
        <h2>Finished</h2>
        <div className="filters">
          <Select label="Function" value={fn} options={FUNCTIONS} onChange={(v) => { setFn(v); setPage(0); }} />
        </div>
        <ErrorBanner error={error} />
        {fetching && !data ? (
          <Loading />
        ) : error && !data ? null : rows.length === 0 ? (
          <Empty title="No finished jobs yet" />
        ) : (
          <div className="table-wrap">
            <table aria-label="Finished jobs">
              <thead>
                <tr>
                  <th scope="col">Function</th>
                  <th scope="col">Status</th>
                  <th scope="col">Result</th>
                  <th scope="col" className="num">Credits</th>
                  <th scope="col">Finished</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((j) => (
                  <tr key={j.id} data-job-id={j.id} data-status={j.status}>
                    <td>{humanize(j.kind)}</td>
                    <td>
                      <Badge value={j.status} />
                    </td>
                    <td className={j.status === 'FAILED' || j.status === 'PARTIAL' ? 'error-text' : ''}>
                      {jobOutcomeText(j)}
                      <FailedItems job={j} />
                      <RetryButton job={j} onRetry={canWrite ? () => retry(j.id) : undefined} />
                    </td>
                    <td className="num">{j.creditsCharged}</td>
                    <td className="muted">{formatDate(j.finishedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager total={data?.jobs.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
      </section>
    </>
  );
}
