import { useMemo } from 'react';
import { useQuery } from 'urql';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { BillingQuery } from '../lib/ops';
import { ErrorBanner, Loading, PageHeader } from '../components/ui';
import { creditBanner, formatDate, formatNumber, humanize } from '../lib/format';
import { limitBar, stackUsage } from '../lib/billing';

// Distinct fills and patterns-by-order; the legend and the table name every series, so colour is never the only cue.
const FILLS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#475569'];

function money(cents: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);
}

function UsageChart({ points }: { points: { start?: string | null; credits: number; byFunction: { function: string; credits: number }[] }[] }) {
  const { rows, functions } = useMemo(() => stackUsage(points), [points]);
  return (
    <figure className="card" aria-labelledby="usage-caption">
      <figcaption id="usage-caption">
        <strong>Credits used, last 30 days, by function</strong>
      </figcaption>
      {functions.length === 0 ? (
        <p className="muted">No AI work in the last 30 days.</p>
      ) : (
        <div style={{ width: '100%', height: 260 }} aria-hidden="true">
          <ResponsiveContainer>
            <BarChart data={rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {functions.map((f, i) => (
                <Bar key={f} dataKey={f} name={humanize(f)} stackId="usage" fill={FILLS[i % FILLS.length]} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      {functions.length > 0 && (
        <details>
          <summary>Show as a table</summary>
          <table className="table" data-testid="usage-table">
            <thead>
              <tr>
                <th scope="col">Day</th>
                {functions.map((f) => (
                  <th key={f} scope="col">
                    {humanize(f)}
                  </th>
                ))}
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {rows
                .filter((r) => r.total > 0)
                .map((r) => (
                  <tr key={r.day}>
                    <th scope="row">{r.day}</th>
                    {functions.map((f) => (
                      <td key={f}>{formatNumber(r[f] as number)}</td>
                    ))}
                    <td>{formatNumber(r.total)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}

export function BillingPage() {
  const [{ data, fetching, error }] = useQuery({ query: BillingQuery, variables: {}, requestPolicy: 'cache-and-network' });
  if (!data) return fetching ? <Loading /> : <ErrorBanner error={error} />;
  const a = data.account;
  const banner = creditBanner(a.creditsAvailable, a.plan.monthlyCredits);
  return (
    <>
      <PageHeader title="Billing" />
      <ErrorBanner error={error} />
      {banner && (
        <div className="alert alert-warn" role="status">
          {banner}
        </div>
      )}
      <div className="stats">
        <div className="stat card">
          <span className="muted">Plan</span>
          <strong data-testid="billing-plan">{a.plan.name}</strong>
          <span className="muted">
            {money(a.plan.priceCents, a.plan.currency)} / {a.plan.billingCycle === 'annual' ? 'year' : 'month'} ·{' '}
            {formatNumber(a.plan.monthlyCredits)} credits a month
          </span>
        </div>
        <div className="stat card">
          <span className="muted">Plan credits</span>
          <strong data-testid="billing-plan-credits">{formatNumber(a.planCredits)}</strong>
          <span className="muted">{a.periodEndsAt ? `expire ${formatDate(a.periodEndsAt)}` : 'no current period'}</span>
        </div>
        <div className="stat card">
          <span className="muted">Purchased credits</span>
          <strong data-testid="billing-purchased-credits">{formatNumber(a.purchasedCredits)}</strong>
          <span className="muted">never expire</span>
        </div>
        <div className="stat card">
          <span className="muted">Available</span>
          <strong>{formatNumber(a.creditsAvailable)}</strong>
          <span className="muted">{formatNumber(a.creditsHeld)} held by running jobs</span>
        </div>
      </div>
      <UsageChart points={data.usage.points} />
      <section className="card" aria-labelledby="limits-h">
        <h2 id="limits-h">Plan limits</h2>
        {a.limits.length === 0 && <p className="muted">Your plan sets no limits.</p>}
        {a.limits.map((l) => {
          const b = limitBar(l);
          return (
            <div key={l.limit} className="field">
              <span>
                {b.label}: {b.text}
              </span>
              <progress max={100} value={b.percent} aria-label={`${b.label}: ${b.text}`} />
            </div>
          );
        })}
      </section>
      <section className="card" aria-labelledby="plans-h">
        <h2 id="plans-h">Plans</h2>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Price</th>
              <th scope="col">Credits a month</th>
              <th scope="col">Limits</th>
            </tr>
          </thead>
          <tbody>
            {data.plans.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  {p.name} {p.slug === a.plan.slug && <span className="badge">current</span>}
                </th>
                <td>
                  {money(p.priceCents, p.currency)} / {p.billingCycle === 'annual' ? 'year' : 'month'}
                </td>
                <td>{formatNumber(p.monthlyCredits)}</td>
                <td>{p.limits.map((l) => `${limitBar({ ...l, usage: 0 }).label} ${formatNumber(l.max)}`).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
