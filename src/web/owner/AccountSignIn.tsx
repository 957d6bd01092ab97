import { useEffect, useState, type FormEvent } from 'react';
import { PageRequestPasswordResetDocument } from '../generated/graphql';
import { explain, fieldProblem, request, type FieldProblem } from '../lib/api';
import { Field } from '../components/Field';
import { Alert, Status } from '../components/Messages';
import { AccountSession, sessionAction } from './account-session';
import { SignIn } from './SignIn';
import type { ShownOnce } from './SavedItCard';

/** The signed-out views of /owner, each at its own fragment so Back works: sign in, register, reset, owner token. */
type View = 'sign-in' | 'create-account' | 'forgot-password' | 'owner-token';
const VIEWS: View[] = ['create-account', 'forgot-password', 'owner-token'];

function viewOfHash(): View {
  const hash = window.location.hash.slice(1) as View;
  return VIEWS.includes(hash) ? hash : 'sign-in';
}

function useHashView(): View {
  const [view, setView] = useState(viewOfHash);
  useEffect(() => {
    const follow = () => setView(viewOfHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  return view;
}

interface Props {
  onSession(session: AccountSession): void;
  onOwnerToken(token: string, shown?: ShownOnce): void;
  problem: string | null;
  /** Which sign-in failed last, so its problem shows there. */
  problemOf: 'account' | 'owner-token';
}

/**
 * /owner signed out (docs/api.md, Part 3, 34): inputs labelled Email and Password and a Sign in
 * button; links to Create an account and to Use an owner token (the sign-in of Part 2, 22).
 */
export function AccountSignIn({ onSession, onOwnerToken, problem, problemOf }: Props) {
  const view = useHashView();
  if (view === 'owner-token') return <SignIn onSignIn={onOwnerToken} problem={problemOf === 'owner-token' ? problem : null} />;
  return (
    <>
      <header className="page-head">
        <p className="eyebrow">Slotbook</p>
        <h1>Your calendars</h1>
      </header>
      <section className="panel sign-in" aria-labelledby="account-title">
        {view === 'create-account' ? <Register onSession={onSession} /> : view === 'forgot-password' ? <ForgotPassword /> : <Login onSession={onSession} problem={problemOf === 'account' ? problem : null} />}
        <nav className="sign-in-links" aria-label="Other ways in">
          {view !== 'sign-in' && <a href="#">Sign in with your email</a>}
          {view !== 'create-account' && <a href="#create-account">Create an account</a>}
          {view !== 'forgot-password' && <a href="#forgot-password">Forgot your password?</a>}
          <a href="#owner-token">Use an owner token</a>
        </nav>
      </section>
    </>
  );
}

/** Inputs a sign-in or registration refusal may name (extensions.field). */
type Input = 'name' | 'email' | 'password';
const INPUTS = { name: { input: 'name', label: 'Name' }, email: { input: 'email', label: 'Email' }, password: { input: 'password', label: 'Password' } } as const;

function useSubmit(onSession: (session: AccountSession) => void) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<FieldProblem<Input> | null>(null);
  const submit = async (run: () => Promise<Awaited<ReturnType<typeof sessionAction>>>) => {
    setBusy(true);
    setProblem(null);
    setFieldError(null);
    try {
      const answer = await run();
      if (answer) onSession(new AccountSession(answer));
    } catch (error) {
      const named = fieldProblem(error, INPUTS);
      if (named) setFieldError(named);
      else setProblem(explainSignIn(error));
    } finally {
      setBusy(false);
    }
  };
  const errorOf = (input: Input) => (fieldError?.input === input ? fieldError.message : null);
  return { busy, problem, errorOf, submit };
}

/** The API's refusal in words for a person; a wrong email or password says which form it is. */
function explainSignIn(error: unknown): string {
  const text = explain(error);
  return text === 'That token was not accepted.' ? 'That email and password do not match an account.' : text;
}

function Login({ onSession, problem }: { onSession(session: AccountSession): void; problem: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, problem: refused, errorOf, submit } = useSubmit(onSession);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(() => sessionAction('login', { email: email.trim(), password }));
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <h2 id="account-title">Sign in</h2>
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required error={errorOf('email')} />
      <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="current-password" required error={errorOf('password')} />
      {(refused ?? problem) && <Alert>{refused ?? problem}</Alert>}
      <button type="submit" className="primary" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}

function Register({ onSession }: { onSession(session: AccountSession): void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, problem, errorOf, submit } = useSubmit(onSession);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(() => sessionAction('register', { name: name.trim(), email: email.trim(), password }));
  };
  return (
    <form className="form" onSubmit={onSubmit}>
      <h2 id="account-title">Create an account</h2>
      <Field label="Name" value={name} onChange={setName} autoComplete="name" required maxLength={200} error={errorOf('name')} />
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required error={errorOf('email')} />
      <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="new-password" required hint="12 to 200 characters." error={errorOf('password')} />
      {problem && <Alert>{problem}</Alert>}
      <button type="submit" className="primary" disabled={busy}>
        Create account
      </button>
    </form>
  );
}

function ForgotPassword() {
  const [email, setEmail] = useState('');
  const [state, setState] = useState<{ sent: boolean; problem: string | null; busy: boolean }>({ sent: false, problem: null, busy: false });
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setState({ sent: false, problem: null, busy: true });
    try {
      await request(PageRequestPasswordResetDocument, { email: email.trim() });
      setState({ sent: true, problem: null, busy: false });
    } catch (error) {
      setState({ sent: false, problem: explain(error), busy: false });
    }
  };
  return (
    <form className="form" onSubmit={(event) => void onSubmit(event)}>
      <h2 id="account-title">Reset your password</h2>
      <Field label="Email" type="email" value={email} onChange={setEmail} autoComplete="username" required />
      {state.sent && <Status>If an account has this email, a link to set a new password is on its way. It works for one hour.</Status>}
      {state.problem && <Alert>{state.problem}</Alert>}
      <button type="submit" disabled={state.busy}>
        Send the link
      </button>
    </form>
  );
}
