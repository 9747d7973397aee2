// The pages behind mailed links (verify an address, reset a password, accept an
// invitation) and the form that asks for a reset link. Each link carries a
// one-time token in `?token=`; the page takes it out of the address bar at once
// so it does not linger in history, and nothing is sent until the person
// confirms (mail scanners open links on their own).
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';
import {
  AcceptInvitationMutation,
  RequestPasswordResetMutation,
  ResetPasswordMutation,
  VerifyEmailMutation,
} from '../lib/ops';
import { ErrorBanner } from '../components/ui';
import { useSession } from '../state';

/** The token of the mailed link, read once; the address bar loses it. */
function useLinkToken(): string {
  const [params, setParams] = useSearchParams();
  const [token] = useState(() => params.get('token') ?? '');
  useEffect(() => {
    if (params.has('token')) setParams({}, { replace: true });
  }, [params, setParams]);
  return token;
}

function Card({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · igny8`;
  }, [title]);
  return (
    <div className="auth">
      <div className="card auth-card" aria-labelledby="link-title" role="region">
        <div className="brand brand-large">igny8</div>
        <h1 id="link-title">{title}</h1>
        {children}
      </div>
    </div>
  );
}

function MissingToken({ what }: { what: string }) {
  return (
    <p role="alert" className="error">
      This page needs the link from your {what} mail. Open the link from the mail again, or ask for a new one.
    </p>
  );
}

function PasswordFields(props: {
  password: string;
  confirm: string;
  setPassword: (v: string) => void;
  setConfirm: (v: string) => void;
  label?: string;
}) {
  return (
    <>
      <label className="field">
        <span>{props.label ?? 'New password'}</span>
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          value={props.password}
          onChange={(e) => props.setPassword(e.target.value)}
        />
      </label>
      <label className="field">
        <span>Repeat the password</span>
        <input
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          value={props.confirm}
          onChange={(e) => props.setConfirm(e.target.value)}
          aria-invalid={props.confirm !== '' && props.confirm !== props.password}
        />
      </label>
    </>
  );
}

export function VerifyEmailPage() {
  const token = useLinkToken();
  const [state, verify] = useMutation(VerifyEmailMutation);
  const done = state.data?.verifyEmail === true;
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void verify({ input: { token } });
  };
  return (
    <Card title="Confirm your email address">
      {!token ? (
        <MissingToken what="confirmation" />
      ) : done ? (
        <p role="status">
          Your address is confirmed. <Link to="/signin">Sign in</Link>
        </p>
      ) : (
        <form onSubmit={confirm}>
          <ErrorBanner error={state.error} />
          <p>Confirm that this address is yours to finish setting up your account.</p>
          <button type="submit" className="btn-primary" disabled={state.fetching}>
            {state.fetching ? 'Please wait…' : 'Confirm my address'}
          </button>
        </form>
      )}
    </Card>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [state, request] = useMutation(RequestPasswordResetMutation);
  const sent = state.data?.requestPasswordReset === true;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void request({ input: { email } });
  };
  return (
    <Card title="Reset your password">
      {sent ? (
        <p role="status">
          If an account uses {email}, a link to choose a new password is on its way. It is valid for one hour.
        </p>
      ) : (
        <form onSubmit={submit}>
          <ErrorBanner error={state.error} />
          <label className="field">
            <span>Email</span>
            <input name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <button type="submit" className="btn-primary" disabled={state.fetching}>
            {state.fetching ? 'Please wait…' : 'Send me a link'}
          </button>
        </form>
      )}
      <p className="muted">
        <Link to="/signin">Back to sign in</Link>
      </p>
    </Card>
  );
}

export function ResetPasswordPage() {
  const token = useLinkToken();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [state, reset] = useMutation(ResetPasswordMutation);
  const done = state.data?.resetPassword === true;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    void reset({ input: { token, newPassword: password } });
  };
  return (
    <Card title="Choose a new password">
      {!token ? (
        <MissingToken what="password reset" />
      ) : done ? (
        <p role="status">
          Your password is changed and every session of your account was signed out. <Link to="/signin">Sign in</Link>
        </p>
      ) : (
        <form onSubmit={submit}>
          <ErrorBanner error={state.error} message={mismatch ? 'The two passwords differ.' : null} />
          <PasswordFields password={password} confirm={confirm} setPassword={setPassword} setConfirm={setConfirm} />
          <button type="submit" className="btn-primary" disabled={state.fetching}>
            {state.fetching ? 'Please wait…' : 'Set the new password'}
          </button>
        </form>
      )}
    </Card>
  );
}

export function AcceptInvitationPage() {
  const token = useLinkToken();
  const { store } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [state, accept] = useMutation(AcceptInvitationMutation);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== confirm);
    if (password !== confirm) return;
    const r = await accept({ input: { token, name, password } });
    const auth = r.data?.acceptInvitation;
    if (auth?.accessToken) {
      // whoever was signed in in this browser, the invited person is now
      store.signIn(auth);
      navigate('/', { replace: true });
    }
  };
  return (
    <Card title="Join your team on igny8">
      {!token ? (
        <MissingToken what="invitation" />
      ) : (
        <form onSubmit={submit}>
          <ErrorBanner error={state.error} message={mismatch ? 'The two passwords differ.' : null} />
          <label className="field">
            <span>Your name</span>
            <input name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <PasswordFields
            password={password}
            confirm={confirm}
            setPassword={setPassword}
            setConfirm={setConfirm}
            label="Choose a password"
          />
          <button type="submit" className="btn-primary" disabled={state.fetching}>
            {state.fetching ? 'Please wait…' : 'Join'}
          </button>
        </form>
      )}
    </Card>
  );
}
