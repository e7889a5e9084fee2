import type { ReactNode } from 'react';
import { type Session, signOut } from '../api/session.js';
import { AppLink } from './AppLink.js';

const NAV = [
  { to: '/app/builder', label: 'Link builder' },
  { to: '/app/links', label: 'Links' },
  { to: '/app/campaigns', label: 'Campaigns' },
  { to: '/app/attribution', label: 'Attribution' },
  { to: '/app/experiments', label: 'Experiments' },
  { to: '/app/settings', label: 'Settings' },
] as const;

const ROLE_TEXT = { viewer: 'Viewer (read only)', editor: 'Editor', admin: 'Admin' } as const;

/** The frame of every signed-in page: navigation, the key's role and sign-out. */
export function Layout({ path, session, children }: { path: string; session: Session; children: ReactNode }) {
  return (
    <div className="app">
      <header className="topbar">
        <AppLink to="/app/builder" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Chatmark
        </AppLink>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <AppLink
              key={item.to}
              to={item.to}
              className={path.startsWith(item.to) ? 'nav-link active' : 'nav-link'}
              aria-current={path.startsWith(item.to) ? 'page' : undefined}
            >
              {item.label}
            </AppLink>
          ))}
        </nav>
        <div className="session">
          <span className={`badge role-${session.role}`}>{ROLE_TEXT[session.role]}</span>
          <button type="button" className="button link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
