import { useMemo, useState } from 'react';
import { archiveLink } from '../api/endpoints.js';
import { useCampaigns, useLinks, useLinkStats } from '../api/hooks.js';
import { canWrite, useSession } from '../api/session.js';
import type { Campaign, Link } from '../api/types.js';
import { AppLink } from '../components/AppLink.js';
import { CopyButton } from '../components/CopyButton.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { CHANNEL_DEFS } from '../channels.js';
import { formatDate, formatNumber } from '../format.js';
import { describeError } from '../messages.js';
import { navigate, useLocation } from '../router.js';

const channelLabel = (channel: string) =>
  channel in CHANNEL_DEFS ? CHANNEL_DEFS[channel as keyof typeof CHANNEL_DEFS].label : channel;

/** The link's target in one line: the phone, username, page or URL it opens. */
const targetText = (link: Link) => Object.values(link.target).join(' · ');

/**
 * Every tracked link with its clicks (humans and bots apart), filtered by campaign on the server
 * (`?campaign=` in the address, so the campaign page can link here) and by text in the browser.
 */
export function LinksPage() {
  const session = useSession();
  const { query } = useLocation();
  const campaignParam = query.get('campaign');
  const campaignId = campaignParam && /^\d+$/.test(campaignParam) ? Number(campaignParam) : undefined;
  const [archived, setArchived] = useState(false);
  const [search, setSearch] = useState('');
  const links = useLinks({ campaignId, archived });
  const campaigns = useCampaigns();
  const byId = useMemo(
    () => new Map<number, Campaign>((campaigns.data ?? []).map((c) => [c.id, c])),
    [campaigns.data],
  );

  const needle = search.trim().toLowerCase();
  const shown = (links.data ?? []).filter(
    (l) =>
      needle === '' ||
      [l.code, l.channel, channelLabel(l.channel), targetText(l), l.variant ?? ''].some((v) =>
        v.toLowerCase().includes(needle),
      ),
  );

  return (
    <div className="page">
      <div className="page-head">
        <h1>Links</h1>
        {canWrite(session) && (
          <AppLink to="/app/builder" className="button primary">
            New link
          </AppLink>
        )}
      </div>
      <div className="toolbar">
        <label className="grow">
          <span className="sr-only">Search</span>
          <input
            type="search"
            placeholder="Search code, channel or target"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          <span className="sr-only">Campaign</span>
          <select
            value={campaignId ?? ''}
            onChange={(e) =>
              navigate(e.target.value ? `/app/links?campaign=${e.target.value}` : '/app/links', {
                replace: true,
              })
            }
          >
            <option value="">All campaigns</option>
            {campaigns.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} />
          Show archived
        </label>
      </div>

      {links.error && <ErrorNote error={links.error} onRetry={links.reload} />}
      {!links.data && links.loading && <Loading what="Loading links" />}
      {links.data && links.data.length === 0 && (
        <Empty>
          <p>{campaignId === undefined ? 'No links yet.' : 'This campaign has no links yet.'}</p>
          {canWrite(session) && <AppLink to="/app/builder">Build the first one</AppLink>}
        </Empty>
      )}
      {links.data && links.data.length > 0 && shown.length === 0 && (
        <Empty>
          <p>No link matches “{search}”.</p>
        </Empty>
      )}
      {shown.length > 0 && (
        <table className="table responsive">
          <thead>
            <tr>
              <th>Short link</th>
              <th>Channel</th>
              <th>Target</th>
              <th>Campaign</th>
              <th className="num">Clicks</th>
              <th className="num">Humans</th>
              <th className="num">Bots</th>
              <th>Created</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((link) => (
              <LinkRow
                key={link.id}
                link={link}
                campaign={link.campaignId === null ? undefined : byId.get(link.campaignId)}
                canArchive={canWrite(session)}
                onArchived={links.reload}
              />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function LinkRow({
  link,
  campaign,
  canArchive,
  onArchived,
}: {
  link: Link;
  campaign: Campaign | undefined;
  canArchive: boolean;
  onArchived: () => void;
}) {
  const stats = useLinkStats(link.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const count = (n: number | undefined) =>
    stats.error ? '?' : n === undefined ? <span className="muted">…</span> : formatNumber(n);

  async function archive() {
    if (!window.confirm(`Archive ${link.shortUrl}? It will answer “gone” from now on.`)) return;
    setBusy(true);
    setError(undefined);
    try {
      await archiveLink(link.id);
      onArchived();
    } catch (reason) {
      setError(describeError(reason));
      setBusy(false);
    }
  }

  return (
    <tr className={link.archivedAt ? 'archived' : undefined}>
      <td data-label="Short link">
        <a href={link.shortUrl} target="_blank" rel="noreferrer" className="mono">
          /{link.code}
        </a>
        {link.archivedAt && <span className="badge">archived</span>}
        {link.variant && <span className="badge">variant {link.variant}</span>}
      </td>
      <td data-label="Channel">{channelLabel(link.channel)}</td>
      <td data-label="Target" className="break">
        {targetText(link)}
      </td>
      <td data-label="Campaign">
        {campaign ? (
          <AppLink to={`/app/campaigns/${campaign.id}`}>{campaign.name}</AppLink>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Clicks" className="num" title={stats.error ? describeError(stats.error) : undefined}>
        {count(stats.data?.clicks)}
      </td>
      <td data-label="Humans" className="num">
        {count(stats.data?.humanClicks)}
      </td>
      <td data-label="Bots" className="num">
        {count(stats.data?.botClicks)}
      </td>
      <td data-label="Created">{formatDate(link.createdAt)}</td>
      <td className="actions">
        <CopyButton text={link.shortUrl} label="Copy link" />
        {canArchive && !link.archivedAt && (
          <button
            type="button"
            className="button danger small"
            onClick={() => void archive()}
            disabled={busy}
          >
            {busy ? 'Archiving…' : 'Archive'}
          </button>
        )}
        {error && <p className="field-error">{error}</p>}
      </td>
    </tr>
  );
}
