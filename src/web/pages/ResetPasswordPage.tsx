import { useState, type FormEvent } from 'react';
import '../owner/owner.css';
import { explain, fieldProblem } from '../lib/api';
import { Field } from '../components/Field';
import { Alert } from '../components/Messages';
import { sessionAction } from '../owner/account-session';

/**
 * /owner/reset-password?token=…, the PASSWORD_RESET email's link (docs/api.md, Part 3, 32): a New
 * password input; resetPassword through the session route, which ends every other session and
 * sets the new session's cookie, then the owner page, signed in from that cookie.
 */
export function ResetPasswordPage({ token }: { token: string }) {
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    setPasswordError(null);
    try {
      await sessionAction('reset-password', { token, password });
      window.location.replace('/owner');
    } catch (error) {
      const named = fieldProblem(error, { password: { input: 'password', label: 'New password' } });
      if (named) setPasswordError(named.message);
      else setProblem(explain(error) === 'That token was not accepted.' ? 'This link has expired or was used already. Ask for a new one from the sign-in page.' : explain(error));
      setBusy(false);
    }
  };
  return (
    <>
      <header className="page-head">
        <p className="eyebrow">Slotbook</p>
        <h1>Set a new password</h1>
      </header>
      <section className="panel sign-in" aria-labelledby="reset-title">
        <h2 id="reset-title">Reset your password</h2>
        <form className="form" onSubmit={(event) => void submit(event)}>
          <Field label="New password" type="password" value={password} onChange={setPassword} autoComplete="new-password" required hint="12 to 200 characters. Every other sign-in of your account ends." error={passwordError} />
          {problem && <Alert>{problem}</Alert>}
          <button type="submit" className="primary" disabled={busy || !token}>
            Set password and sign in
          </button>
        </form>
        <p>
          <a href="/owner#forgot-password">Ask for a new link</a>
        </p>
      </section>
    </>
  );
}
