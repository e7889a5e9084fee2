import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.js';
import { createCampaign } from '../api/endpoints.js';
import { useCampaigns } from '../api/hooks.js';
import { canWrite, useSession } from '../api/session.js';
import { AppLink } from '../components/AppLink.js';
import { Field } from '../components/Field.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { formatDate, formatMoney, NONE } from '../format.js';
import { describeError, errorField } from '../messages.js';
import { navigate } from '../router.js';

/** The campaigns, newest changes first as the API lists them, and a short form for a new one. */
export function CampaignsPage() {
  const session = useSession();
  const campaigns = useCampaigns();
  const [creating, setCreating] = useState(false);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Campaigns</h1>
        {canWrite(session) && !creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New campaign
          </button>
        )}
      </div>
      {creating && <NewCampaign onCancel={() => setCreating(false)} />}
      {campaigns.error && <ErrorNote error={campaigns.error} onRetry={campaigns.reload} />}
      {!campaigns.data && campaigns.loading && <Loading what="Loading campaigns" />}
      {campaigns.data?.length === 0 && (
        <Empty>
          <p>No campaigns yet. A campaign groups links and carries their UTM defaults and budget.</p>
        </Empty>
      )}
      {campaigns.data && campaigns.data.length > 0 && (
        <table className="table responsive">
          <thead>
            <tr>
              <th>Name</th>
              <th>Slug</th>
              <th>Owner</th>
              <th>Channels</th>
              <th className="num">Budget cap</th>
              <th>Runs</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.data.map((c) => (
              <tr key={c.id}>
                <td data-label="Name">
                  <AppLink to={`/app/campaigns/${c.id}`}>{c.name}</AppLink>
                </td>
                <td data-label="Slug" className="mono">
                  {c.slug}
                </td>
                <td data-label="Owner">{c.owner}</td>
                <td data-label="Channels">{c.channels.length > 0 ? c.channels.join(', ') : NONE}</td>
                <td data-label="Budget cap" className="num">
                  {c.budgetCap ? formatMoney(c.budgetCap.amount, c.budgetCap.currency) : NONE}
                </td>
                <td data-label="Runs">
                  {c.startsAt || c.endsAt
                    ? `${formatDate(c.startsAt)} – ${formatDate(c.endsAt)}`
                    : 'No end date'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function NewCampaign({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const at = errorField(error);
  const message = (field: string) => (error && at === field ? describeError(error) : undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || !owner.trim()) {
      setError(new ApiError('missing_field', '', 0, !name.trim() ? 'name' : 'owner'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const campaign = await createCampaign({ name: name.trim(), owner: owner.trim() });
      navigate(`/app/campaigns/${campaign.id}`);
    } catch (reason) {
      setError(reason);
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate>
      <h2>New campaign</h2>
      <div className="grid-2">
        <Field label="Name" error={message('name')} hint="Its slug (for utm_campaign) is made from the name.">
          {(props) => (
            <input
              {...props}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Spring sale"
            />
          )}
        </Field>
        <Field label="Owner" error={message('owner')}>
          {(props) => (
            <input
              {...props}
              value={owner}
              onChange={(e) => setOwner(e.target.value)}
              placeholder="ana@shop.example"
            />
          )}
        </Field>
      </div>
      {error !== undefined && at !== 'name' && at !== 'owner' && (
        <p className="form-error" role="alert">
          {describeError(error)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create campaign'}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
