import { useEffect, useState, type ReactNode } from 'react';
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

export function Layout({
  user,
  onLogout,
  children,
}: {
  user: string;
  onLogout: () => void;
  children: ReactNode;
}) {
  const { path } = useLocation();
  const current = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`));
  // On a phone the links fold behind a menu button; following one folds them again.
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  return (
    <div className="layout">
      <nav className={`sidebar ${open ? 'open' : ''}`} aria-label="main">
        <div className="brand">
          vsa
          <button
            type="button"
            className="menu"
            aria-expanded={open}
            aria-controls="nav-links"
            onClick={() => setOpen((o) => !o)}
          >
            Menu
          </button>
        </div>
        <div id="nav-links" className="nav-links">
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
        </div>
      </nav>
      <main>{children}</main>
    </div>
  );
}
