import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  ConnectWordPressMutation,
  DisconnectWordPressMutation,
  SiteWordPressQuery,
  SyncWordPressMutation,
  TestWordPressConnectionMutation,
} from '../lib/ops';
import { Badge, ErrorBanner, Loading } from '../components/ui';
import { useCanManage, useCanWrite } from '../components/access';
import { formatDate } from '../lib/format';
import { useJobs } from '../state';

/**
 * A site's WordPress connection (PUB-2). Everyone reads it; owners and admins
 * connect, test and disconnect; editors also sync statuses; viewers only read.
 */
export function WordPressPanel({ siteId, siteName }: { siteId: string; siteName: string }) {
  const admin = useCanManage();
  const canWrite = useCanWrite();
  const [{ data, error, fetching }] = useQuery({ query: SiteWordPressQuery, variables: { id: siteId } });
  const [conn, connect] = useMutation(ConnectWordPressMutation);
  const [disc, disconnect] = useMutation(DisconnectWordPressMutation);
  const [test, runTest] = useMutation(TestWordPressConnectionMutation);
  const [sync, runSync] = useMutation(SyncWordPressMutation);
  const { track } = useJobs();
  const [form, setForm] = useState({ url: '', username: '', applicationPassword: '' });
  const [secret, setSecret] = useState<string | null>(null);
  const [tested, setTested] = useState<{ ok: boolean; message: string } | null>(null);
  const wp = data?.site?.wordpress;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await connect({ input: { siteId, ...form } });
    if (r.data) {
      setSecret(r.data.connectWordPress.webhookSecret ?? null);
      setForm({ url: '', username: '', applicationPassword: '' });
    }
  };
  const hook = wp ? new URL(wp.webhookPath, window.location.origin).toString() : '';
  return (
    <section className="wordpress" aria-label={`WordPress of ${siteName}`}>
      <h3>WordPress</h3>
      <ErrorBanner error={error} />
      {!data ? (
        // an unreadable connection is an error, never also "not connected"
        fetching && !error ? <Loading /> : null
      ) : wp ? (
        <>
          <p>
            <a href={wp.url} target="_blank" rel="noreferrer">
              {wp.url}
            </a>{' '}
            as {wp.username} ({wp.passwordHint}) <Badge value={wp.status} />{' '}
            <span className="muted">
              {wp.hasBridgePlugin ? 'bridge plugin active' : 'without the bridge plugin: igny8 meta is not stored, statuses come back by sync only'}
              {wp.lastCheckedAt ? ` · checked ${formatDate(wp.lastCheckedAt)}` : ''}
            </span>
          </p>
          {wp.lastError && <p className="error-text" role="alert">{wp.lastError}</p>}
          {secret && (
            <div className="card notice" role="status">
              <p>
                Install the bridge plugin (<code>wordpress/igny8-bridge</code> in the igny8 sources: copy it to{' '}
                <code>wp-content/plugins/</code> and activate it), then paste in Settings → igny8:
              </p>
              <p>
                Webhook URL: <code>{hook}</code>
              </p>
              <p>
                Secret (shown once): <code data-testid="wp-secret">{secret}</code>
              </p>
            </div>
          )}
          {canWrite && (
            <div className="row-actions">
              {admin && (
                <button
                  disabled={test.fetching}
                  onClick={async () => {
                    const r = await runTest({ input: { siteId } });
                    if (r.data) setTested(r.data.testWordPressConnection);
                  }}
                >
                  {test.fetching ? 'Testing…' : 'Test connection'}
                </button>
              )}
              <button
                disabled={sync.fetching}
                onClick={async () => {
                  const r = await runSync({ input: { siteId } });
                  if (r.data) track(r.data.syncWordPress, `WordPress of ${siteName}`);
                }}
              >
                Sync statuses
              </button>
              {admin && (
                <button
                  className="btn-danger"
                  disabled={disc.fetching}
                  onClick={() => {
                    if (window.confirm(`Disconnect ${wp.url}? Posts stay in WordPress.`)) disconnect({ input: { siteId } });
                  }}
                >
                  Disconnect
                </button>
              )}
            </div>
          )}
          {tested && (
            <p className={tested.ok ? 'ok-text' : 'error-text'} role="status">
              {tested.message}
            </p>
          )}
          <ErrorBanner error={test.error ?? sync.error ?? disc.error} />
        </>
      ) : admin ? (
        <form className="inline-form" onSubmit={submit} aria-label="Connect WordPress">
          <label className="field">
            <span>Site address</span>
            <input name="wpUrl" required value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} placeholder="https://blog.example.com" />
          </label>
          <label className="field">
            <span>WordPress user</span>
            <input name="wpUser" required value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
          </label>
          <label className="field">
            <span>Application password</span>
            <input
              name="wpPassword"
              type="password"
              required
              autoComplete="off"
              value={form.applicationPassword}
              onChange={(e) => setForm({ ...form, applicationPassword: e.target.value })}
              placeholder="Users → Profile → Application Passwords"
            />
          </label>
          <button type="submit" className="btn-primary" disabled={conn.fetching}>
            {conn.fetching ? 'Checking with WordPress…' : 'Connect WordPress'}
          </button>
          <ErrorBanner error={conn.error} />
        </form>
      ) : (
        <p className="muted">Not connected. Owners and admins connect WordPress.</p>
      )}
    </section>
  );
}
