import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { LogoutMutation } from '../lib/ops';
import { creditBanner, formatNumber, isLowCredit } from '../lib/format';
import { TERMINAL, useJobs, useSession, useWorkspace } from '../state';
import { JobCard } from './jobs';
import { canManage, useCanWrite } from './access';

const NAV: { to: string; label: string; group: string; admin?: boolean; staff?: boolean }[] = [
  { to: '/planner/keywords', label: 'Keywords', group: 'Planner' },
  { to: '/planner/seeds', label: 'Seed library', group: 'Planner' },
  { to: '/planner/clusters', label: 'Clusters', group: 'Planner' },
  { to: '/planner/ideas', label: 'Ideas', group: 'Planner' },
  { to: '/writer/tasks', label: 'Tasks', group: 'Writer' },
  { to: '/writer/content', label: 'Content', group: 'Writer' },
  { to: '/writer/images', label: 'Images', group: 'Writer' },
  { to: '/automation', label: 'Automation', group: 'Writer' },
  { to: '/jobs', label: 'Jobs', group: 'Account' },
  { to: '/credits', label: 'Credits', group: 'Account' },
  { to: '/credits/usage', label: 'Usage', group: 'Account' },
  { to: '/billing', label: 'Billing', group: 'Account' },
  { to: '/sites', label: 'Sites & sectors', group: 'Account' },
  // owners and admins only: hidden from the others, not just refused
  { to: '/settings', label: 'Users & access', group: 'Account', admin: true },
  { to: '/settings/integrations', label: 'Integrations', group: 'Settings', admin: true },
  { to: '/settings/prompts', label: 'Prompts', group: 'Settings' },
  { to: '/settings/authors', label: 'Author profiles', group: 'Settings' },
  { to: '/settings/strategies', label: 'Strategies', group: 'Settings' },
  { to: '/staff/accounts', label: 'Accounts', group: 'Staff', staff: true },
  { to: '/staff/audit', label: 'Audit log', group: 'Staff', staff: true },
];

function WorkspacePicker() {
  const { sites, site, sectorId, setSite, setSector } = useWorkspace();
  if (!sites.length) return null;
  return (
    <div className="picker">
      <label>
        <span className="sr-only">Site</span>
        <select aria-label="Site" value={site?.id ?? ''} onChange={(e) => setSite(e.target.value)}>
          {sites.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="sr-only">Sector</span>
        <select aria-label="Sector" value={sectorId ?? ''} onChange={(e) => setSector(e.target.value)}>
          {!site?.sectors.nodes.length && <option value="">No sectors</option>}
          {site?.sectors.nodes.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
              {s.isActive ? '' : ' (inactive)'}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function CreditsBadge() {
  const { me } = useWorkspace();
  if (!me) return null;
  const a = me.account;
  const low = isLowCredit(a.creditsAvailable, a.plan.monthlyCredits);
  return (
    <NavLink to="/credits" className={`credits ${low ? 'credits-low' : ''}`} title={`${a.creditsHeld} held by running jobs`}>
      <span data-testid="credits-balance">{formatNumber(a.creditsAvailable)}</span> credits
      {low && (
        <span className="credits-warning" role="status">
          {' '}
          · low
        </span>
      )}
    </NavLink>
  );
}

/** Running jobs and the two latest finished ones, on every page but Jobs. */
function JobsTray() {
  const { jobs, cancel, dismiss, retry } = useJobs();
  const canWrite = useCanWrite();
  const onJobsPage = useLocation().pathname === '/jobs';
  const [open, setOpen] = useState(true);
  const running = jobs.filter((j) => !TERMINAL.has(j.status)).length;
  // a failure stays in view until dismissed
  const failing = jobs.slice(0, 2).some((j) => j.status === 'FAILED' || j.status === 'PARTIAL');
  // open while something runs; fold away a few seconds after the last job ends
  useEffect(() => {
    if (running > 0 || failing) {
      setOpen(true);
      return;
    }
    const t = setTimeout(() => setOpen(false), 6000);
    return () => clearTimeout(t);
  }, [running, failing]);
  if (!jobs.length || onJobsPage) return null;
  const shown = [...jobs.filter((j) => !TERMINAL.has(j.status)), ...jobs.filter((j) => TERMINAL.has(j.status)).slice(0, 2)];
  return (
    <aside className="tray" aria-label="Jobs">
      <button type="button" className="tray-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        Jobs · {running} running
      </button>
      {open && (
        <div className="tray-body">
          {shown.map((j) => (
            <JobCard
              key={j.id}
              job={j}
              onCancel={canWrite ? () => void cancel(j.id) : undefined}
              onDismiss={() => dismiss(j.id)}
              onRetry={canWrite ? () => retry(j.id) : undefined}
            />
          ))}
        </div>
      )}
    </aside>
  );
}

export function Layout() {
  const { store, session } = useSession();
  const { me } = useWorkspace();
  const [, logout] = useMutation(LogoutMutation);
  const navigate = useNavigate();
  const [menu, setMenu] = useState(false);
  const manage = canManage(me?.role);
  const banner = me && !me.isStaff ? creditBanner(me.account.creditsAvailable, me.account.plan.monthlyCredits) : null;
  const empty = !!me && !me.isStaff && me.account.creditsAvailable <= 0;
  const signOut = async () => {
    const s = store.get();
    if (s) await logout({ input: { refreshToken: s.refreshToken } });
    store.signOut();
    navigate('/signin');
  };
  let group = '';
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <button type="button" className="menu-button" aria-label="Menu" aria-expanded={menu} onClick={() => setMenu(!menu)}>
          ☰
        </button>
        <NavLink to="/" className="brand">
          igny8
        </NavLink>
        <WorkspacePicker />
        <div className="topbar-right">
          <CreditsBadge />
          <span className="user muted">{me?.email ?? session?.email}</span>
          <button type="button" className="btn-ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      {banner && (
        <div className={`alert ${empty ? 'alert-error' : 'alert-warn'} banner`} role="status" data-testid="credit-banner">
          {banner}
        </div>
      )}
      <div className="body">
        <nav className={`sidebar ${menu ? 'open' : ''}`} aria-label="Main" onClick={() => setMenu(false)}>
          {NAV.filter((n) => (!n.admin || manage) && (!n.staff || !!me?.isStaff)).map((n) => {
            const head = n.group !== group ? <div className="nav-group">{(group = n.group)}</div> : null;
            return (
              <div key={n.to}>
                {head}
                <NavLink to={n.to} end>
                  {n.label}
                </NavLink>
              </div>
            );
          })}
          <a href="/graphiql">GraphiQL ↗</a>
        </nav>
        <main className="main" id="main">
          <Outlet />
        </main>
      </div>
      <JobsTray />
    </div>
  );
}
