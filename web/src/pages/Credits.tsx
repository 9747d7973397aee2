import { useState } from 'react';
import { useQuery } from 'urql';
import { CreditTransactionsQuery, CreditUsageQuery } from '../lib/ops';
import { Empty, ErrorBanner, Loading, PageHeader, Pager } from '../components/ui';
import { formatDate, formatNumber, humanize, isLowCredit } from '../lib/format';
import { useWorkspace } from '../state';

const KINDS = ['purchase', 'subscription', 'refund', 'deduction', 'adjustment'];
const OPERATIONS = ['auto_cluster', 'generate_ideas', 'generate_content', 'generate_image_prompts', 'generate_images'];

function dateRange(from: string, to: string) {
  return {
    from: from ? new Date(`${from}T00:00:00`).toISOString() : undefined,
    to: to ? new Date(`${to}T23:59:59.999`).toISOString() : undefined,
  };
}

function HistoryFilters(props: { kinds: string[]; kind: string; setKind: (k: string) => void; from: string; setFrom: (v: string) => void; to: string; setTo: (v: string) => void; label: string }) {
  return (
    <div className="filters" role="search">
      <label className="field">
        <span>{props.label}</span>
        <select value={props.kind} onChange={(e) => props.setKind(e.target.value)}>
          <option value="">Any</option>
          {props.kinds.map((k) => (
            <option key={k} value={k}>
              {humanize(k)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>From</span>
        <input type="date" value={props.from} onChange={(e) => props.setFrom(e.target.value)} />
      </label>
      <label className="field">
        <span>To</span>
        <input type="date" value={props.to} onChange={(e) => props.setTo(e.target.value)} />
      </label>
    </div>
  );
}

function Balance() {
  const { me } = useWorkspace();
  if (!me) return null;
  const a = me.account;
  const low = isLowCredit(a.creditsAvailable, a.plan.monthlyCredits);
  return (
    <div className="stats">
      <div className="stat card">
        <span className="muted">Balance</span>
        <strong>{formatNumber(a.credits)}</strong>
      </div>
      <div className="stat card">
        <span className="muted">Held by running jobs</span>
        <strong>{formatNumber(a.creditsHeld)}</strong>
      </div>
      <div className={`stat card ${low ? 'stat-low' : ''}`}>
        <span className="muted">Available</span>
        <strong>{formatNumber(a.creditsAvailable)}</strong>
        {low && <span className="error-text">Low: under 10 % of your plan</span>}
      </div>
      <div className="stat card">
        <span className="muted">Plan</span>
        <strong>{a.plan.name}</strong>
        <span className="muted">{formatNumber(a.plan.monthlyCredits)} credits / month</span>
      </div>
    </div>
  );
}

export function CreditsPage() {
  const [kind, setKind] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [{ data, fetching, error }] = useQuery({
    query: CreditTransactionsQuery,
    variables: { filter: { kind: kind || undefined, ...dateRange(from, to) }, first: pageSize, offset: page * pageSize },
  });
  const rows = data?.creditTransactions.nodes ?? [];
  return (
    <>
      <PageHeader title="Credits" />
      <Balance />
      <h2>Transactions</h2>
      <HistoryFilters label="Kind" kinds={KINDS} kind={kind} setKind={(k) => { setKind(k); setPage(0); }} from={from} setFrom={setFrom} to={to} setTo={setTo} />
      <ErrorBanner error={error} />
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? null : rows.length === 0 ? (
        <Empty title="No transactions in this range" />
      ) : (
        <div className="table-wrap">
          <table aria-label="Credit transactions">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">Amount</th>
                <th scope="col" className="num">Balance after</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id}>
                  <td className="muted">{formatDate(t.createdAt)}</td>
                  <td>{humanize(t.kind)}</td>
                  <td>{t.description}</td>
                  <td className={`num ${t.amount < 0 ? 'error-text' : 'ok-text'}`}>{t.amount > 0 ? `+${t.amount}` : t.amount}</td>
                  <td className="num">{formatNumber(t.balanceAfter)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={data?.creditTransactions.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
    </>
  );
}

export function UsagePage() {
  const { sites } = useWorkspace();
  const [op, setOp] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState(25);
  const [{ data, fetching, error }] = useQuery({
    query: CreditUsageQuery,
    variables: { filter: { kind: op || undefined, ...dateRange(from, to) }, first: pageSize, offset: page * pageSize },
  });
  const rows = data?.creditUsage.nodes ?? [];
  const totals = data?.creditUsageTotals;
  const siteName = (id: string | null | undefined) => sites.find((s) => s.id === id)?.name ?? (id ? 'Deleted site' : 'No site');
  return (
    <>
      <PageHeader title="Usage" />
      <HistoryFilters label="Operation" kinds={OPERATIONS} kind={op} setKind={(k) => { setOp(k); setPage(0); }} from={from} setFrom={setFrom} to={to} setTo={setTo} />
      <ErrorBanner error={error} />
      {totals && (
        <div className="stats">
          <div className="stat card">
            <span className="muted">Credits used</span>
            <strong>{formatNumber(totals.credits)}</strong>
            <span className="muted">{totals.jobs} jobs</span>
          </div>
          <div className="stat card wide">
            <span className="muted">By operation</span>
            <ul className="plain">
              {totals.byOperation.map((o) => (
                <li key={o.operation}>
                  {humanize(o.operation)}: <strong>{o.credits}</strong> <span className="muted">({o.jobs} jobs)</span>
                </li>
              ))}
            </ul>
          </div>
          <div className="stat card wide">
            <span className="muted">By site</span>
            <ul className="plain">
              {totals.bySite.map((s) => (
                <li key={s.siteId ?? 'none'}>
                  {siteName(s.siteId)}: <strong>{s.credits}</strong> <span className="muted">({s.jobs} jobs)</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? null : rows.length === 0 ? (
        <Empty title="No AI usage in this range" />
      ) : (
        <div className="table-wrap">
          <table aria-label="AI usage">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Operation</th>
                <th scope="col">Model</th>
                <th scope="col" className="num">Tokens in / out</th>
                <th scope="col" className="num">Cost (USD)</th>
                <th scope="col" className="num">Credits</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((u) => (
                <tr key={u.id}>
                  <td className="muted">{formatDate(u.createdAt)}</td>
                  <td>{humanize(u.operation)}</td>
                  <td>{u.model ?? '—'}</td>
                  <td className="num">
                    {u.tokensIn} / {u.tokensOut}
                  </td>
                  <td className="num">{u.costUsd.toFixed(4)}</td>
                  <td className="num">{u.credits}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager total={data?.creditUsage.totalCount ?? 0} page={page} pageSize={pageSize} onPage={setPage} onPageSize={(n) => { setPageSize(n); setPage(0); }} />
    </>
  );
}
