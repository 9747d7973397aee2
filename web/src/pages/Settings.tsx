import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Link } from 'react-router';
import { CreateUserMutation, GrantSiteAccessMutation, RemoveUserMutation, RevokeSiteAccessMutation, UpdateUserRoleMutation, UsersQuery } from '../lib/ops';
import type { Role } from '../gql/graphql';
import { Empty, ErrorBanner, Loading, PageHeader } from '../components/ui';
import { describeError } from '../lib/errors';
import { humanize } from '../lib/format';
import { useWorkspace } from '../state';
import { ReadOnlyNote, useCanManage } from '../components/access';

const ROLES = ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'] as const;

function NewUser() {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('EDITOR');
  const [state, create] = useMutation(CreateUserMutation);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create({ input: { email, name, password, role, siteIds: [] } });
    if (r.data) {
      setEmail('');
      setName('');
      setPassword('');
    }
  };
  return (
    <form className="card inline-form" onSubmit={submit} aria-label="Add a user">
      <label className="field">
        <span>Email</span>
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Initial password</span>
        <input type="password" autoComplete="new-password" minLength={8} required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label className="field">
        <span>Role</span>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {humanize(r)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn-primary" disabled={state.fetching}>
        Add user
      </button>
      <ErrorBanner error={state.error} />
    </form>
  );
}

export function SettingsPage() {
  const { me, sites } = useWorkspace();
  const [{ data, fetching, error }] = useQuery({ query: UsersQuery });
  const [role, setRole] = useMutation(UpdateUserRoleMutation);
  const [grant, doGrant] = useMutation(GrantSiteAccessMutation);
  const [revoke, doRevoke] = useMutation(RevokeSiteAccessMutation);
  const [removed, remove] = useMutation(RemoveUserMutation);
  const users = data?.users.nodes ?? [];
  const manage = useCanManage();
  return (
    <>
      <PageHeader title="Users & site access" />
      <p className="muted">Owners and admins see every site; editors and viewers only the sites granted to them.</p>
      {manage ? <NewUser /> : <ReadOnlyNote what="users and site access" />}
      <ErrorBanner message={describeError(error ?? role.error ?? grant.error ?? revoke.error ?? removed.error)} />
      {fetching && !data ? (
        <Loading />
      ) : error && !data ? null : users.length === 0 ? (
        <Empty title="No users to show" />
      ) : (
        <div className="table-wrap">
          <table aria-label="Users">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Site access</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => {
                const granted = new Set(u.grantedSites.map((s) => s.id));
                const self = u.id === me?.id;
                return (
                  <tr key={u.id}>
                    <td>
                      {u.name || u.email}
                      <div className="muted small">{u.email}</div>
                    </td>
                    <td>
                      <select aria-label={`Role of ${u.email}`} value={u.role} disabled={self} onChange={(e) => setRole({ input: { userId: u.id, role: e.target.value as Role } })}>
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {humanize(r)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      {u.role === 'OWNER' || u.role === 'ADMIN' ? (
                        <span className="muted">All sites</span>
                      ) : sites.length === 0 ? (
                        <span className="muted">No sites</span>
                      ) : (
                        <fieldset className="checks">
                          <legend className="sr-only">Sites for {u.email}</legend>
                          {sites.map((s) => (
                            <label key={s.id}>
                              <input
                                type="checkbox"
                                checked={granted.has(s.id)}
                                onChange={(e) => (e.target.checked ? doGrant : doRevoke)({ input: { userId: u.id, siteId: s.id } })}
                              />{' '}
                              {s.name}
                            </label>
                          ))}
                        </fieldset>
                      )}
                    </td>
                    <td>
                      {!self && (
                        <button className="btn-small btn-danger" onClick={() => window.confirm(`Remove ${u.email}?`) && remove({ input: { userId: u.id } })}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        Providers and keys, prompt templates, author profiles and strategies are under <Link to="/settings/integrations">Settings</Link>.
      </p>
    </>
  );
}
