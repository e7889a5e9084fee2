import { lazy, Suspense, useEffect } from 'react';
import { useSession } from './api/session.js';
import { AppLink } from './components/AppLink.js';
import { Layout } from './components/Layout.js';
import { Loading } from './components/States.js';
import { BuilderPage } from './pages/Builder.js';
import { CampaignsPage } from './pages/Campaigns.js';
import { ExperimentPage } from './pages/Experiment.js';
import { ExperimentsPage } from './pages/Experiments.js';
import { LinksPage } from './pages/Links.js';
import { SettingsPage } from './pages/Settings.js';
import { SignInPage } from './pages/SignIn.js';
import { match, navigate, useLocation } from './router.js';

// The campaign and attribution pages carry the charts (recharts): loaded when first opened.
const CampaignPage = lazy(() => import('./pages/Campaign.js').then((m) => ({ default: m.CampaignPage })));
const AttributionPage = lazy(() =>
  import('./pages/Attribution.js').then((m) => ({ default: m.AttributionPage })),
);

const HOME = '/app/builder';

function Page({ path }: { path: string }) {
  if (match('/app/builder', path)) return <BuilderPage />;
  if (match('/app/links', path)) return <LinksPage />;
  if (match('/app/campaigns', path)) return <CampaignsPage />;
  const campaign = match('/app/campaigns/:id', path);
  if (campaign && /^\d+$/.test(campaign.id ?? '')) {
    const id = Number(campaign.id);
    return <CampaignPage key={id} id={id} />;
  }
  if (match('/app/attribution', path)) return <AttributionPage />;
  if (match('/app/experiments', path)) return <ExperimentsPage />;
  const experiment = match('/app/experiments/:id', path);
  if (experiment && /^\d+$/.test(experiment.id ?? '')) {
    const id = Number(experiment.id);
    return <ExperimentPage key={id} id={id} />;
  }
  if (match('/app/settings', path)) return <SettingsPage />;
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. <AppLink to={HOME}>Go to the link builder</AppLink>.
      </p>
    </div>
  );
}

/** Signs in first; then routes `/app/...` paths to pages, `/` and `/app` to the link builder. */
export function App() {
  const session = useSession();
  const { path } = useLocation();
  const isHome = path === '/' || path === '/app' || path === '/app/';
  useEffect(() => {
    if (isHome) navigate(HOME, { replace: true });
  }, [isHome]);

  if (!session) return <SignInPage />;
  if (isHome) return null;
  return (
    <Layout path={path} session={session}>
      <Suspense fallback={<Loading />}>
        <Page path={path} />
      </Suspense>
    </Layout>
  );
}
