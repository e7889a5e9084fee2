import { useMemo } from 'react';
import { useCampaigns, useExperiments, useLinks } from '../api/hooks.js';
import { canWrite, useSession } from '../api/session.js';
import type { Campaign } from '../../../src/http/contract/campaigns.js';
import type { Experiment } from '../../../src/http/contract/experiments.js';
import type { Link } from '../../../src/http/contract/links.js';
import { AppLink } from '../components/AppLink.js';
import { CompareForm } from '../components/CompareForm.js';
import { ExperimentForm } from '../components/ExperimentForm.js';
import { Empty, ErrorNote, Loading } from '../components/States.js';
import { formatDateTime, NONE } from '../format.js';
import { navigate, useLocation } from '../router.js';
import { METRIC_TEXT } from '../verdicts.js';

/**
 * Experiments: a campaign's stored experiments (each opens its results) and, for editors, a form
 * to define one; below, a comparison of two numbers typed in, for tests run elsewhere.
 */
export function ExperimentsPage() {
  const { query } = useLocation();
  const campaigns = useCampaigns();
  const asked = Number(query.get('campaign'));
  const chosen =
    campaigns.data?.find((c) => c.id === asked) ?? (query.has('campaign') ? undefined : campaigns.data?.[0]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Experiments</h1>
      </div>
      <section className="card">
        <h2>Campaign experiments</h2>
        {campaigns.error ? (
          <ErrorNote error={campaigns.error} onRetry={campaigns.reload} />
        ) : !campaigns.data ? (
          <Loading what="Loading campaigns" />
        ) : campaigns.data.length === 0 ? (
          <Empty>
            <p>No campaigns yet: experiments compare the links of a campaign.</p>
            <AppLink to="/app/campaigns">Create a campaign</AppLink>
          </Empty>
        ) : (
          <>
            <div className="toolbar">
              <label>
                Campaign{' '}
                <select
                  aria-label="Campaign"
                  value={chosen?.id ?? ''}
                  onChange={(e) => navigate(`/app/experiments?campaign=${e.target.value}`, { replace: true })}
                >
                  {!chosen && <option value="">Choose a campaign</option>}
                  {campaigns.data.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              </label>
              {chosen && <AppLink to={`/app/campaigns/${chosen.id}`}>Open the campaign</AppLink>}
            </div>
            {chosen ? (
              <CampaignExperiments key={chosen.id} campaign={chosen} />
            ) : (
              <p className="hint">There is no campaign {query.get('campaign')}; choose one above.</p>
            )}
          </>
        )}
      </section>
      <section className="card">
        <h2>Compare two numbers</h2>
        <p className="hint">
          Results of a test run elsewhere (an ad platform, a spreadsheet): nothing is stored. The verdict
          follows the same rules as stored experiments.
        </p>
        <CompareForm />
      </section>
    </div>
  );
}

function CampaignExperiments({ campaign }: { campaign: Campaign }) {
  const session = useSession();
  const experiments = useExperiments(campaign.id);
  const links = useLinks({ campaignId: campaign.id, archived: true });
  const codes = useMemo(() => new Map((links.data ?? []).map((l) => [l.id, l])), [links.data]);

  const error = experiments.error ?? links.error;
  if (error)
    return <ErrorNote error={error} onRetry={experiments.error ? experiments.reload : links.reload} />;
  if (!experiments.data || !links.data) return <Loading what="Loading experiments" />;
  return (
    <>
      {experiments.data.length === 0 ? (
        <Empty>
          <p>{campaign.name} has no experiments yet.</p>
        </Empty>
      ) : (
        <ExperimentTable experiments={experiments.data} links={codes} />
      )}
      {canWrite(session) && (
        <details className="inline-form">
          <summary>New experiment</summary>
          <ExperimentForm
            campaignId={campaign.id}
            links={links.data.filter((l) => l.archivedAt === null)}
            onCreated={(e) => navigate(`/app/experiments/${e.id}`)}
          />
        </details>
      )}
    </>
  );
}

/** A group of links by their short codes (the id when the link is gone). */
const arm = (ids: readonly number[], links: ReadonlyMap<number, Link>) =>
  ids.length === 0 ? NONE : ids.map((id) => links.get(id)?.code ?? `#${id}`).join(', ');

function ExperimentTable({
  experiments,
  links,
}: {
  experiments: readonly Experiment[];
  links: ReadonlyMap<number, Link>;
}) {
  return (
    <table className="table responsive compact">
      <thead>
        <tr>
          <th>Experiment</th>
          <th>Decision metric</th>
          <th>Baseline links</th>
          <th>Variant links</th>
          <th>Defined</th>
        </tr>
      </thead>
      <tbody>
        {experiments.map((e) => (
          <tr key={e.id}>
            <td data-label="Experiment">
              <AppLink to={`/app/experiments/${e.id}`}>{e.name}</AppLink>
            </td>
            <td data-label="Decision metric">{METRIC_TEXT[e.decisionMetric] ?? e.decisionMetric}</td>
            <td data-label="Baseline links" className="mono break">
              {arm(e.baselineLinkIds, links)}
            </td>
            <td data-label="Variant links" className="mono break">
              {arm(e.variantLinkIds, links)}
            </td>
            <td data-label="Defined">{formatDateTime(e.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
