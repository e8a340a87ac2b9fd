import type { ReactNode } from 'react';
import { Link, useLocation } from './router';

const nav: [string, string][] = [
  ['/', 'Overview'],
  ['/runs', 'Runs'],
  ['/hosts', 'Hosts'],
  ['/sites', 'Sites'],
  ['/certificates', 'Certificates'],
  ['/containers', 'Containers'],
  ['/audit', 'Audit'],
  ['/start', 'Start run'],
  ['/settings', 'Settings'],
];

export function Layout({ user, onLogout, children }: { user: string; onLogout: () => void; children: ReactNode }) {
  const { path } = useLocation();
  const current = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  return (
    <div className="layout">
      <nav className="sidebar" aria-label="main">
        <div className="brand">vsa</div>
        {nav.map(([to, label]) => (
          <Link key={to} to={to} className={current(to) ? 'active' : ''}>
            {label}
          </Link>
        ))}
        <div className="whoami">
          <span>{user}</span>
          <button type="button" onClick={onLogout}>
            Log out
          </button>
        </div>
      </nav>
      <main>{children}</main>
    </div>
  );
}
