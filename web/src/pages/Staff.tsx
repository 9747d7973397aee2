import { Fragment, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  AdminAccountsQuery,
  AdminAdjustCreditsMutation,
  AdminAuditLogQuery,
  AdminSetAccountStatusMutation,
  AdminSetPlanMutation,
} from '../lib/ops';
import { Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { formatDate, formatNumber, humanize } from '../lib/format';
import { useWorkspace } from '../state';

type Row = NonNullable<NonNullable<ReturnType<typeof useAccounts>[0]['data']>['adminAccounts']['edges'][number]>['node'];

function useAccounts(search: string) {
  return useQuery({ query: AdminAccountsQuery, variables: { search: search || null, first: 50 }, requestPolicy: 'cache-and-network' });
}

function AccountActions({ a, plans, refresh }: { a: Row; plans: { slug: string; name: string }[]; refresh: () => void }) {
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [adjust, doAdjust] = useMutation(AdminAdjustCreditsMutation);
  const [plan, doPlan] = useMutation(AdminSetPlanMutation);
  const [status, doStatus] = useMutation(AdminSetAccountStatusMutation);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await doAdjust({ input: { accountId: a.id, amount: Number(amount), reason } });
    if (!r.error) {
      setAmount('');
      setReason('');
      refresh();
    }
  };
  const suspended = a.status === 'SUSPENDED';
  return (
    <div className="stack">
      <ErrorBanner error={adjust.error ?? plan.error ?? status.error} />
      <form onSubmit={submit} className="filters" aria-label={`Adjust credits of ${a.name}`}>
        <label className="field">
          <span>Credits (+/−)</span>
          <input type="number" required value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label className="field">
          <span>Reason</span>
          <input required value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" disabled={adjust.fetching}>
          Adjust credits
        </button>
      </form>
      <div className="filters">
        <label className="field">
          <span>Plan</span>
          <select
            value={a.plan.slug}
            onChange={async (e) => {
              const r = await doPlan({ input: { accountId: a.id, planSlug: e.target.value } });
              if (!r.error) refresh();
            }}
          >
            {[...plans, ...(plans.some((p) => p.slug === a.plan.slug) ? [] : [a.plan])].map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className={suspended ? '' : 'danger'}
          disabled={status.fetching}
          onClick={async () => {
            const r = await doStatus({ input: { accountId: a.id, status: suspended ? 'ACTIVE' : 'SUSPENDED' } });
            if (!r.error) refresh();
          }}
        >
          {suspended ? 'Reactivate' : 'Suspend'}
        </button>
      </div>
    </div>
  );
}

export function StaffAccountsPage() {
  const { me } = useWorkspace();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [{ data, fetching, error }, refetch] = useAccounts(search);
  if (me && !me.isStaff) return <Empty title="Platform staff only" />;
  const refresh = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <PageHeader title="Staff · Accounts" />
      <div className="filters" role="search">
        <label className="field">
          <span>Search (name, slug, id, email)</span>
          <input value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </div>
      <ErrorBanner error={error} />
      {!data ? (
        fetching ? <Loading /> : null
      ) : data.adminAccounts.edges.length === 0 ? (
        <Empty title="No accounts match" />
      ) : (
        <table className="table" data-testid="staff-accounts">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
              <th scope="col">Plan</th>
              <th scope="col">Credits (plan + purchased)</th>
              <th scope="col">Used this period</th>
              <th scope="col">Sites · users</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {data.adminAccounts.edges.map(({ node: a }) => (
              <Fragment key={a.id}>
                <tr>
                  <th scope="row">{a.name}</th>
                  <td>{a.ownerEmail ?? '—'}</td>
                  <td>{humanize(a.status.toLowerCase())}</td>
                  <td>{a.plan.name}</td>
                  <td data-testid="staff-credits">
                    {formatNumber(a.credits)} ({formatNumber(a.planCredits)} + {formatNumber(a.purchasedCredits)})
                  </td>
                  <td>{formatNumber(a.usage.creditsThisPeriod)}</td>
                  <td>
                    {a.usage.sites} · {a.usage.users}
                  </td>
                  <td>
                    <button type="button" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? null : a.id)}>
                      Manage
                    </button>
                  </td>
                </tr>
                {open === a.id && (
                  <tr>
                    <td colSpan={8}>
                      <AccountActions a={a} plans={data.plans} refresh={refresh} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function StaffAuditPage() {
  const { me } = useWorkspace();
  const [{ data, fetching, error }] = useQuery({ query: AdminAuditLogQuery, variables: { first: 100 }, requestPolicy: 'cache-and-network' });
  if (me && !me.isStaff) return <Empty title="Platform staff only" />;
  return (
    <>
      <PageHeader title="Staff · Audit log" />
      <ErrorBanner error={error} />
      {!data ? (
        fetching ? <Loading /> : null
      ) : (
        <table className="table" data-testid="staff-audit">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Account</th>
              <th scope="col">Action</th>
              <th scope="col">Reason</th>
              <th scope="col">Before → after</th>
            </tr>
          </thead>
          <tbody>
            {data.adminAuditLog.edges.map(({ node: e }) => (
              <tr key={e.id}>
                <td>{formatDate(e.createdAt)}</td>
                <td>{e.actorEmail}</td>
                <td>
                  <code>{e.accountId.slice(0, 8)}</code>
                </td>
                <td>{humanize(e.action.toLowerCase())}</td>
                <td>{e.reason ?? '—'}</td>
                <td>
                  <code>{JSON.stringify(e.before)}</code> → <code>{JSON.stringify(e.after)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
