import { match, useLocation } from './router';
import { AuditPage } from './pages/audit';
import { CertificatesPage } from './pages/certificates';
import { ComparePage } from './pages/compare';
import { ContainersPage } from './pages/containers';
import { HostPage } from './pages/host';
import { HostsPage } from './pages/hosts';
import { OverviewPage } from './pages/overview';
import { RunPage } from './pages/run';
import { RunsPage } from './pages/runs';
import { SettingsPage } from './pages/settings';
import { SitesPage } from './pages/sites';
import { StartRunPage } from './pages/start-run';

export function Routes() {
  const { path, query } = useLocation();
  const run = match('/runs/:id', path);
  if (run) return <RunPage id={run.id!} />;
  const host = match('/hosts/:host', path);
  if (host) return <HostPage host={host.host!} />;
  switch (path) {
    case '/':
      return <OverviewPage />;
    case '/runs':
      return <RunsPage query={query} />;
    case '/compare':
      return <ComparePage a={query.get('a') ?? ''} b={query.get('b') ?? ''} />;
    case '/hosts':
      return <HostsPage />;
    case '/sites':
      return <SitesPage />;
    case '/certificates':
      return <CertificatesPage />;
    case '/containers':
      return <ContainersPage />;
    case '/audit':
      return <AuditPage query={query} />;
    case '/start':
      return <StartRunPage />;
    case '/settings':
      return <SettingsPage />;
    default:
      return <p>No page at {path}.</p>;
  }
}
