import { useMemo, useState } from 'react';
import { archiveLink } from '../api/endpoints.js';
import type { ApiError } from '../api/client.js';
import { useCampaigns, useFunnelByLink, useLinks, useLinkStats } from '../api/hooks.js';
import { canWrite, useSession } from '../api/session.js';
import type { Campaign } from '../../../src/http/contract/campaigns.js';
import type { Link } from '../../../src/http/contract/links.js';
import type { FunnelRow } from '../../../src/http/contract/reports.js';
import { AppLink } from '../components/AppLink.js';
import { byKey } from '../components/Breakdown.js';
import { CopyButton } from '../components/CopyButton.js';
import { attributionText } from '../components/FunnelPanel.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { CHANNEL_DEFS } from '../channels.js';
import { MAX_RANGE_MS } from '../../../src/domain/date-range.js';
import { formatDate, formatNumber } from '../format.js';
import { describeError } from '../messages.js';
import { navigate, useLocation } from '../router.js';

const channelLabel = (channel: string) =>
  channel in CHANNEL_DEFS ? CHANNEL_DEFS[channel as keyof typeof CHANNEL_DEFS].label : channel;

/** The link's target in one line: the phone, username, page or URL it opens. */
const targetText = (link: Link) => Object.values(link.target).join(' · ');

/** The funnel report's counts for one link, or why there are none yet. */
type LinkFunnel = { error: ApiError } | { loading: true } | { row: FunnelRow | undefined };

/**
 * Every tracked link with its clicks (humans and bots apart), and the chats started and
 * conversions credited to it (one funnel report grouped by link, over the period the click
 * counts cover: since the first of the listed links was made). Filtered by campaign on the server
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
  // A link's click counts start when it was made, so the earliest of them covers every row, up to
  // the longest period the server reports on, less a day for a browser clock off the server's (the
  // link stats stop there too). The campaign is checked too: right after another one is chosen, the
  // list on hand is the old one.
  const from = useMemo(() => {
    const first = (links.data ?? [])
      .filter((l) => campaignId === undefined || l.campaignId === campaignId)
      .reduce((min, l) => Math.min(min, Date.parse(l.createdAt)), Infinity);
    return Number.isFinite(first)
      ? new Date(Math.max(first, Date.now() - MAX_RANGE_MS + 86_400_000)).toISOString()
      : undefined;
  }, [links.data, campaignId]);
  const funnel = useFunnelByLink(from === undefined ? null : { campaignId, from });
  const funnelByCode = useMemo(
    () => new Map(byKey(funnel.data?.rows ?? []).map((r) => [r.key, r.counts])),
    [funnel.data],
  );
  const funnelOf = (code: string): LinkFunnel =>
    funnel.error
      ? { error: funnel.error }
      : !funnel.data || funnel.loading
        ? { loading: true }
        : { row: funnelByCode.get(code) };

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
        <>
          {funnel.error && <ErrorNote error={funnel.error} onRetry={funnel.reload} />}
          {!funnel.data && funnel.loading && <Loading what="Loading chats and conversions" />}
          {from !== undefined && funnel.data && (
            <p className="hint">
              Since {formatDate(from)}, when the first of these links was made: clicks, first chats per
              contact, and conversions (<code>{funnel.data.parameters.conversion}</code>) credited to each
              link by {attributionText(funnel.data.parameters)}.
            </p>
          )}
          <table className="table responsive" data-testid="links-table">
            <thead>
              <tr>
                <th>Short link</th>
                <th>Channel</th>
                <th>Target</th>
                <th>Campaign</th>
                <th className="num">Clicks</th>
                <th className="num">Humans</th>
                <th className="num">Bots</th>
                <th className="num">Chats</th>
                <th className="num">Conversions</th>
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
                  funnel={funnelOf(link.code)}
                  canArchive={canWrite(session)}
                  onArchived={links.reload}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function LinkRow({
  link,
  campaign,
  funnel,
  canArchive,
  onArchived,
}: {
  link: Link;
  campaign: Campaign | undefined;
  funnel: LinkFunnel;
  canArchive: boolean;
  onArchived: () => void;
}) {
  const stats = useLinkStats(link.id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const count = (n: number | undefined) =>
    stats.error ? '?' : n === undefined ? <span className="muted">…</span> : formatNumber(n);
  // A link the report has no row for had no clicks, chats or conversions in the period.
  const funnelCount = (pick: (row: FunnelRow) => number) =>
    'error' in funnel ? (
      '?'
    ) : 'loading' in funnel ? (
      <span className="muted">…</span>
    ) : (
      formatNumber(funnel.row ? pick(funnel.row) : 0)
    );
  const funnelTitle = 'error' in funnel ? describeError(funnel.error) : undefined;

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
    <tr className={link.archivedAt ? 'archived' : undefined} data-testid={`link-row-${link.code}`}>
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
      <td data-label="Chats" className="num" data-testid="chats" title={funnelTitle}>
        {funnelCount((r) => r.chats_started)}
      </td>
      <td data-label="Conversions" className="num" data-testid="conversions" title={funnelTitle}>
        {funnelCount((r) => r.conversions)}
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
