import { type FormEvent, useState } from 'react';
import { detectRole } from '../api/endpoints.js';
import { signIn } from '../api/session.js';
import { Field } from '../components/Field.js';
import { describeError } from '../messages.js';

/** Paste an API key; it is checked against the server and kept for this tab only. */
export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Paste an API key (it starts with cm_).');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      signIn({ key: trimmed, role: await detectRole(trimmed) });
    } catch (reason) {
      setError(describeError(reason));
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={(e) => void submit(e)} noValidate>
        <h1>
          <span className="brand-mark" aria-hidden="true" /> Chatmark
        </h1>
        <p className="muted">
          Sign in with an API key. The server prints one at first start, or run{' '}
          <code>npx chatmark keys create</code>.
        </p>
        <Field
          label="API key"
          error={error}
          hint="Kept in this browser tab only; closing the tab signs you out."
        >
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="cm_…"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              autoFocus
            />
          )}
        </Field>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
