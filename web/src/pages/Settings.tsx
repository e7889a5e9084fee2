import { type FormEvent, useState } from 'react';
import { createKey, revokeKey } from '../api/endpoints.js';
import { useKeys, useWebhookSetup } from '../api/hooks.js';
import { type Session, useSession } from '../api/session.js';
import type { ApiKey, Role } from '../../../src/http/contract/keys.js';
import type { WebhookStatus } from '../../../src/http/contract/settings.js';
import { CopyButton } from '../components/CopyButton.js';
import { Field } from '../components/Field.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { UTM_MEDIUMS } from '../channels.js';
import { formatDateTime, NONE } from '../format.js';
import { describeError, errorField } from '../messages.js';

const ROLE_HELP: Readonly<Record<Role, string>> = {
  viewer: 'reads links, campaigns and reports',
  editor: 'also creates and changes links and campaigns, sends events',
  admin: 'also manages API keys',
};

/**
 * API keys and the webhooks (admins: the address to paste into each platform and whether the
 * server has its secrets), and the UTM vocabulary.
 */
export function SettingsPage() {
  const session = useSession();
  return (
    <div className="page">
      <h1>Settings</h1>
      <section className="card">
        <h2>API keys</h2>
        {session?.role === 'admin' ? (
          <Keys session={session} />
        ) : (
          <p className="muted">Only an admin key can list, create and revoke API keys.</p>
        )}
      </section>
      <section className="card">
        <h2>Webhooks</h2>
        {session?.role === 'admin' ? (
          <Webhooks />
        ) : (
          <p className="muted">
            Only an admin key can see the webhook addresses and which of their secrets the server has.
          </p>
        )}
      </section>
      <section className="card">
        <h2>UTM medium vocabulary</h2>
        <p className="hint">
          The values <code>utm_medium</code> may take under the naming convention (lower case). A campaign can
          bring its own list.
        </p>
        <ul className="chips static">
          {UTM_MEDIUMS.map((m) => (
            <li key={m} className="chip">
              {m}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Keys({ session }: { session: Session }) {
  const keys = useKeys(true);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [created, setCreated] = useState<{ key: ApiKey; secret: string } | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError(new Error('Give the key a name, such as who or what will use it.'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setCreated(await createKey({ name: name.trim(), role }));
      setName('');
      keys.reload();
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  }

  async function revoke(key: ApiKey) {
    const own = session.key.startsWith(key.prefix);
    const question = own
      ? `“${key.name}” is the key you are signed in with. Revoke it and sign out?`
      : `Revoke “${key.name}”? Anything using it stops working at once.`;
    if (!window.confirm(question)) return;
    setRowError(null);
    try {
      await revokeKey(key.id);
      keys.reload();
    } catch (reason) {
      setRowError({ id: key.id, message: describeError(reason) });
    }
  }

  return (
    <>
      {created && (
        <div className="secret" role="status">
          <p>
            <strong>{created.key.name}</strong> ({created.key.role}) was created. Copy its secret now: it is
            shown only once.
          </p>
          <div className="short-url">
            <code className="break">{created.secret}</code>
            <CopyButton text={created.secret} />
          </div>
          <button type="button" className="button link" onClick={() => setCreated(null)}>
            I have copied it
          </button>
        </div>
      )}
      {keys.error && <ErrorNote error={keys.error} onRetry={keys.reload} />}
      {!keys.data && keys.loading && <Loading what="Loading keys" />}
      {keys.data?.length === 0 && <Empty>No keys.</Empty>}
      {keys.data && keys.data.length > 0 && (
        <table className="table responsive">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Starts with</th>
              <th>Created</th>
              <th>Last used</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'archived' : undefined}>
                <td data-label="Name">
                  {k.name}
                  {session.key.startsWith(k.prefix) && <span className="badge">this browser</span>}
                </td>
                <td data-label="Role">{k.role}</td>
                <td data-label="Starts with" className="mono">
                  {k.prefix}…
                </td>
                <td data-label="Created">{formatDateTime(k.createdAt)}</td>
                <td data-label="Last used">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : NONE}</td>
                <td className="actions">
                  {k.revokedAt ? (
                    <span className="muted">revoked {formatDateTime(k.revokedAt)}</span>
                  ) : (
                    <button type="button" className="button danger small" onClick={() => void revoke(k)}>
                      Revoke
                    </button>
                  )}
                  {rowError?.id === k.id && <p className="field-error">{rowError.message}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="inline-form" onSubmit={(e) => void submit(e)} noValidate>
        <h3>New key</h3>
        <div className="grid-2">
          <Field
            label="Name"
            error={error && errorField(error) !== 'role' ? describeError(error) : undefined}
          >
            {(props) => (
              <input
                {...props}
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="Zapier, Ana’s laptop…"
              />
            )}
          </Field>
          <Field
            label="Role"
            hint={ROLE_HELP[role]}
            error={errorField(error) === 'role' ? describeError(error) : undefined}
          >
            {(props) => (
              <select {...props} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                <option value="viewer">Viewer</option>
                <option value="editor">Editor</option>
                <option value="admin">Admin</option>
              </select>
            )}
          </Field>
        </div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>
    </>
  );
}

/** What a webhook still needs, in words: the required settings that are not set. */
const missing = (w: WebhookStatus) => w.settings.filter((s) => s.required && !s.configured);

/**
 * Each platform's webhook from GET /api/settings/webhooks: the URL to paste, whether it is ready,
 * and each server setting it reads, set or not (the server never sends a secret's value).
 */
function Webhooks() {
  const setup = useWebhookSetup(true);
  return (
    <>
      <p className="hint">
        Paste each address into the platform’s developer console, and set the listed variables in the server’s
        environment (then restart it) so Chatmark can verify the platform’s signature. A webhook whose
        required variables are unset refuses every call.
      </p>
      {setup.error && <ErrorNote error={setup.error} onRetry={setup.reload} />}
      {!setup.data && setup.loading && <Loading what="Loading the webhook settings" />}
      {setup.data && (
        <table className="table responsive" data-testid="webhooks">
          <thead>
            <tr>
              <th>Platform</th>
              <th>Webhook URL</th>
              <th>Status</th>
              <th>Server settings</th>
            </tr>
          </thead>
          <tbody>
            {setup.data.map((w) => (
              <tr key={w.platform} data-testid={`webhook-${w.platform}`}>
                <td data-label="Platform">{w.name}</td>
                <td data-label="Webhook URL">
                  <span className="mono break">{w.url}</span> <CopyButton text={w.url} />
                </td>
                <td data-label="Status" data-testid="status" data-configured={w.configured}>
                  {w.configured ? (
                    <span className="setting-state ok">✓ Configured</span>
                  ) : (
                    <span className="setting-state off">
                      Not configured: set{' '}
                      {missing(w)
                        .map((s) => s.variable)
                        .join(' and ')}
                    </span>
                  )}
                </td>
                <td data-label="Server settings">
                  <ul className="settings-list">
                    {w.settings.map((s) => (
                      <li key={s.variable} data-variable={s.variable} data-configured={s.configured}>
                        <code className="env">{s.variable}</code>
                        {s.configured ? (
                          <span className="setting-state ok">✓ set</span>
                        ) : (
                          <span className={s.required ? 'setting-state off' : 'setting-state muted'}>
                            {s.required ? 'not set' : 'not set (optional)'}
                          </span>
                        )}
                        <span className="hint">{s.purpose}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
