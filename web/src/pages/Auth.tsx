import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { LoginMutation, SignupMutation } from '../lib/ops';
import { ErrorBanner } from '../components/ui';
import { useSession } from '../state';

export function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const { store } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [accountName, setAccountName] = useState('');
  // a server that requires verified addresses answers signup without tokens
  const [checkMail, setCheckMail] = useState(false);
  const [login, doLogin] = useMutation(LoginMutation);
  const [signup, doSignup] = useMutation(SignupMutation);
  const state = mode === 'signin' ? login : signup;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r =
      mode === 'signin'
        ? await doLogin({ input: { email, password } }).then((r) => r.data?.login)
        : await doSignup({ input: { email, password, accountName } }).then((r) => r.data?.signup);
    // the routes move on once the session exists
    if (r?.accessToken) store.signIn(r);
    else if (r) setCheckMail(true);
  };
  return (
    <div className="auth">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="auth-title">
        <div className="brand brand-large">igny8</div>
        <h1 id="auth-title">{mode === 'signin' ? 'Sign in' : 'Create your account'}</h1>
        <ErrorBanner error={state.error} />
        {checkMail && (
          <p role="status">Check your email: follow the link we sent to confirm your address, then sign in.</p>
        )}
        {mode === 'signup' && (
          <label className="field">
            <span>Company or team name</span>
            <input name="accountName" required value={accountName} onChange={(e) => setAccountName(e.target.value)} />
          </label>
        )}
        <label className="field">
          <span>Email</span>
          <input name="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete={mode === 'signin' ? 'current-password' : 'new-password'}
            required
            minLength={mode === 'signup' ? 8 : undefined}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" className="btn-primary" disabled={state.fetching}>
          {state.fetching ? 'Please wait…' : mode === 'signin' ? 'Sign in' : 'Sign up'}
        </button>
        {mode === 'signin' && (
          <p className="muted">
            <Link to="/forgot-password">Forgot your password?</Link>
          </p>
        )}
        <p className="muted">
          {mode === 'signin' ? (
            <>
              New here? <Link to="/signup">Create an account</Link>
            </>
          ) : (
            <>
              Have an account? <Link to="/signin">Sign in</Link>
            </>
          )}
        </p>
      </form>
    </div>
  );
}
