import { useMemo } from 'react';
import {
  type FetchState,
  useCampaign,
  useCampaignChangelog,
  useFunnel,
  useLinks,
  useLinksStats,
} from '../api/hooks.js';
import type { Campaign } from '../../../src/http/contract/campaigns.js';
import type { FunnelReport } from '../../../src/http/contract/reports.js';
import { AppLink } from '../components/AppLink.js';
import { Breakdown } from '../components/Breakdown.js';
import { ChatsChart, chatsByDay } from '../components/ChatsChart.js';
import { ClicksChart, clicksByDay } from '../components/ClicksChart.js';
import { FunnelPanel } from '../components/FunnelPanel.js';
import { BaselineAndReviews } from '../components/Reviews.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { formatDate, formatDateTime, formatMoney, formatNumber, NONE } from '../format.js';

/** A changelog value in one line: strings as they are, everything else as JSON. */
const show = (value: unknown) =>
  value === null || value === undefined ? NONE : typeof value === 'string' ? value : JSON.stringify(value);

const plural = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * One campaign: its settings, the funnel, clicks and chats per day, the breakdown by channel,
 * source and variant, the baseline and the day 3 / 7 / 14 reviews, and every change made to it.
 */
export function CampaignPage({ id }: { id: number }) {
  const campaign = useCampaign(id);
  if (campaign.error) {
    return (
      <div className="page">
        <p>
          <AppLink to="/app/campaigns">← Campaigns</AppLink>
        </p>
        <ErrorNote error={campaign.error} onRetry={campaign.reload} />
      </div>
    );
  }
  if (!campaign.data) return <Loading what="Loading the campaign" />;
  return <CampaignView campaign={campaign.data} />;
}

function CampaignView({ campaign }: { campaign: Campaign }) {
  const utm = Object.entries(campaign.utm);
  // One request for the funnel panel's day table and the chats-per-day chart.
  const byDay = useFunnel(campaign.id, 'day');
  return (
    <div className="page">
      <p className="crumbs">
        <AppLink to="/app/campaigns">← Campaigns</AppLink>
      </p>
      <div className="page-head">
        <h1>{campaign.name}</h1>
        <div className="row">
          <AppLink to={`/app/links?campaign=${campaign.id}`} className="button secondary">
            Its links
          </AppLink>
          <AppLink to={`/app/experiments?campaign=${campaign.id}`} className="button secondary">
            Its experiments
          </AppLink>
        </div>
      </div>
      <section className="card">
        <dl className="details">
          <dt>Slug</dt>
          <dd className="mono">{campaign.slug}</dd>
          <dt>Owner</dt>
          <dd>{campaign.owner}</dd>
          <dt>Channels</dt>
          <dd>{campaign.channels.length > 0 ? campaign.channels.join(', ') : NONE}</dd>
          <dt>UTM defaults</dt>
          <dd className="mono">{utm.length > 0 ? utm.map(([k, v]) => `utm_${k}=${v}`).join(' ') : NONE}</dd>
          <dt>Budget cap</dt>
          <dd>
            {campaign.budgetCap ? formatMoney(campaign.budgetCap.amount, campaign.budgetCap.currency) : NONE}
          </dd>
          <dt>Runs</dt>
          <dd>
            {campaign.startsAt || campaign.endsAt
              ? `${formatDate(campaign.startsAt)} – ${formatDate(campaign.endsAt)}`
              : 'No start or end set'}
          </dd>
          <dt>Primary conversion</dt>
          <dd>
            <code>{campaign.primaryConversion}</code>
          </dd>
          {campaign.notes && (
            <>
              <dt>Notes</dt>
              <dd className="pre">{campaign.notes}</dd>
            </>
          )}
        </dl>
      </section>

      <section className="card">
        <h2>Funnel</h2>
        <FunnelPanel campaignId={campaign.id} byDay={byDay} />
      </section>

      <div className="grid-2 wide">
        <section className="card">
          <h2>Clicks per day</h2>
          <Clicks campaignId={campaign.id} />
        </section>
        <section className="card">
          <h2>Chats per day</h2>
          <Chats report={byDay} />
        </section>
      </div>

      <section className="card">
        <h2>Breakdown</h2>
        <Breakdown campaignId={campaign.id} />
      </section>

      <BaselineAndReviews campaignId={campaign.id} />

      <section className="card">
        <h2>Changelog</h2>
        <Changelog campaignId={campaign.id} />
      </section>
    </div>
  );
}

function Clicks({ campaignId }: { campaignId: number }) {
  const links = useLinks({ campaignId, archived: true });
  const ids = useMemo(() => links.data?.map((l) => l.id), [links.data]);
  const stats = useLinksStats(ids);
  const days = useMemo(() => clicksByDay(stats.data ?? []), [stats.data]);
  const error = links.error ?? stats.error;
  if (error) return <ErrorNote error={error} onRetry={links.error ? links.reload : stats.reload} />;
  if (!links.data || !stats.data) return <Loading what="Loading clicks" />;
  if (links.data.length === 0) {
    return (
      <Empty>
        <p>This campaign has no links yet.</p>
        <AppLink to={`/app/builder?campaign=${campaignId}`}>Build one</AppLink>
      </Empty>
    );
  }
  if (days.length === 0) {
    return (
      <Empty>
        <p>No clicks yet on its {plural(links.data.length, 'link')}.</p>
      </Empty>
    );
  }
  const humans = days.reduce((n, d) => n + d.humans, 0);
  const bots = days.reduce((n, d) => n + d.bots, 0);
  return (
    <>
      <p className="hint">
        {plural(humans, 'human click')} and {formatNumber(bots)} from bots and link previews, on{' '}
        {plural(links.data.length, 'link')} (days in UTC).
      </p>
      <ClicksChart data={days} />
    </>
  );
}

function Chats({ report }: { report: FetchState<FunnelReport | null> }) {
  const days = useMemo(() => chatsByDay(report.data?.rows ?? []), [report.data]);
  if (report.error) return <ErrorNote error={report.error} onRetry={report.reload} />;
  if (report.data === undefined) return <Loading what="Loading chats" />;
  const total = days.reduce((n, d) => n + d.chats, 0);
  if (report.data === null || total === 0) {
    return (
      <Empty>
        <p>No chats started in this period.</p>
      </Empty>
    );
  }
  return (
    <>
      <p className="hint">
        {plural(total, 'chat')} started, first chats per contact (days in UTC;{' '}
        {formatDate(report.data.parameters.from)} – {formatDate(report.data.parameters.to)}).
      </p>
      <ChatsChart data={days} />
    </>
  );
}

function Changelog({ campaignId }: { campaignId: number }) {
  const changes = useCampaignChangelog(campaignId);
  if (changes.error) return <ErrorNote error={changes.error} onRetry={changes.reload} />;
  if (!changes.data) return <Loading what="Loading the changelog" />;
  if (changes.data.length === 0) {
    return (
      <Empty>
        <p>No changes since the campaign was created.</p>
      </Empty>
    );
  }
  return (
    <table className="table responsive compact">
      <thead>
        <tr>
          <th>When</th>
          <th>Field</th>
          <th>Was</th>
          <th>Now</th>
          <th>By key</th>
        </tr>
      </thead>
      <tbody>
        {changes.data.map((c, i) => (
          <tr key={`${c.at}-${c.field}-${i}`}>
            <td data-label="When">{formatDateTime(c.at)}</td>
            <td data-label="Field">
              <code>{c.field}</code>
            </td>
            <td data-label="Was" className="break">
              {show(c.old)}
            </td>
            <td data-label="Now" className="break">
              {show(c.new)}
            </td>
            <td data-label="By key">{c.actorKeyId === null ? NONE : `#${c.actorKeyId}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
