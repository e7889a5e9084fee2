import { useMemo } from 'react';
import { useCampaign, useExperimentResults, useLinks } from '../api/hooks.js';
import type { ExperimentArm, ExperimentResults } from '../../../src/http/contract/experiments.js';
import type { Link } from '../../../src/http/contract/links.js';
import { AppLink } from '../components/AppLink.js';
import { ComparisonView } from '../components/Comparison.js';
import { ErrorNote, Loading } from '../components/States.js';
import { formatDateTime, formatNumber, formatPercent, NONE } from '../format.js';
import { METRIC_TEXT } from '../verdicts.js';

/** One stored experiment: its arms counted from the store, compared on its decision metric. */
export function ExperimentPage({ id }: { id: number }) {
  const results = useExperimentResults(id);
  if (results.error) {
    return (
      <div className="page">
        <p className="crumbs">
          <AppLink to="/app/experiments">← Experiments</AppLink>
        </p>
        <ErrorNote error={results.error} onRetry={results.reload} />
      </div>
    );
  }
  if (!results.data) return <Loading what="Counting the experiment's arms" />;
  return <ResultsView results={results.data} onReload={results.reload} loading={results.loading} />;
}

function ResultsView({
  results,
  onReload,
  loading,
}: {
  results: ExperimentResults;
  onReload: () => void;
  loading: boolean;
}) {
  const { experiment, parameters } = results;
  const campaign = useCampaign(experiment.campaignId);
  const links = useLinks({ campaignId: experiment.campaignId, archived: true });
  const byId = useMemo(() => new Map((links.data ?? []).map((l) => [l.id, l])), [links.data]);
  const split = experiment.expectedWeights;
  return (
    <div className="page">
      <p className="crumbs">
        <AppLink to={`/app/experiments?campaign=${experiment.campaignId}`}>← Experiments</AppLink>
      </p>
      <div className="page-head">
        <h1>{experiment.name}</h1>
        <button type="button" className="button secondary" onClick={onReload} disabled={loading}>
          {loading ? 'Counting…' : 'Count again'}
        </button>
      </div>
      <p className="hint">
        Campaign{' '}
        <AppLink to={`/app/campaigns/${experiment.campaignId}`}>
          {campaign.data?.name ?? `#${experiment.campaignId}`}
        </AppLink>{' '}
        · {formatDateTime(parameters.from)} – {formatDateTime(parameters.to)} · decided on{' '}
        <strong>{METRIC_TEXT[parameters.metric] ?? parameters.metric}</strong> · conversion:{' '}
        <code>{parameters.conversion}</code>
      </p>
      <section className="card" aria-label="Result">
        <ComparisonView result={results} />
      </section>
      <section className="card">
        <h2>Arms</h2>
        <ArmsTable results={results} links={byId} />
      </section>
      <section className="card">
        <h2>Settings</h2>
        <dl className="details">
          <dt>Planned split</dt>
          <dd>
            {split
              ? `${formatNumber(split[0])} : ${formatNumber(split[1])} (baseline : variant clicks)`
              : 'None: no sample-ratio check'}
          </dd>
          <dt>Minimum conversions</dt>
          <dd>{formatNumber(experiment.minConversions)} in the larger arm</dd>
          <dt>Planned sample</dt>
          <dd>
            {experiment.plannedSampleSize === null
              ? NONE
              : `${formatNumber(experiment.plannedSampleSize)} per arm`}
          </dd>
          <dt>Minimum effect</dt>
          <dd>
            {formatPercent(experiment.minimumEffect)}: ship when the whole interval is above{' '}
            {experiment.minimumEffect === 0 ? 'zero' : 'it'}
          </dd>
          <dt>Rollback threshold</dt>
          <dd>
            {formatPercent(experiment.rollbackThreshold)}: roll back when the whole interval is below{' '}
            {experiment.rollbackThreshold === 0 ? 'zero' : `−${formatPercent(experiment.rollbackThreshold)}`}
          </dd>
          <dt>Defined</dt>
          <dd>{formatDateTime(experiment.createdAt)}</dd>
        </dl>
      </section>
    </div>
  );
}

function ArmsTable({ results, links }: { results: ExperimentResults; links: ReadonlyMap<number, Link> }) {
  const rows: [string, 'baseline' | 'variant', ExperimentArm][] = [
    ['Baseline', 'baseline', results.arms.baseline],
    ['Variant', 'variant', results.arms.variant],
  ];
  return (
    <table className="table responsive compact">
      <caption className="hint">
        Counted per link, with no attribution model in between; clicks are human clicks.
      </caption>
      <thead>
        <tr>
          <th>Arm</th>
          <th>Links</th>
          <th className="num">Clicks</th>
          <th className="num">Chats</th>
          <th className="num">Qualified</th>
          <th className="num">Conversions</th>
          <th className="num">Decision metric</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, key, arm]) => (
          <tr key={key} data-testid={`arm-${key}`}>
            <td data-label="Arm">
              <strong>{label}</strong>
            </td>
            <td data-label="Links" className="mono break">
              {arm.linkIds.map((id) => links.get(id)?.code ?? `#${id}`).join(', ')}
            </td>
            <td data-label="Clicks" className="num" data-testid="arm-clicks">
              {formatNumber(arm.link_clicks)}
            </td>
            <td data-label="Chats" className="num" data-testid="arm-chats">
              {formatNumber(arm.chats_started)}
            </td>
            <td data-label="Qualified" className="num">
              {formatNumber(arm.qualified)}
            </td>
            <td data-label="Conversions" className="num">
              {formatNumber(arm.conversions)}
            </td>
            <td
              data-label="Decision metric"
              className="num"
              data-testid="arm-rate"
              data-value={arm.rate ?? ''}
            >
              {formatPercent(arm.rate)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
