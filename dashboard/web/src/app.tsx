import { useEffect, useState } from 'react';
import { api, onLoginRequired, setCsrfToken } from './api';
import { Layout } from './layout';
import { LoginPage } from './pages/login';
import { Routes } from './routes';
import { RoleContext, type SessionInfo } from './session';

/** Asks who is logged in, then shows the app or the login form; any 401 later brings the form back. */
export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const accept = (s: SessionInfo | null) => {
    setCsrfToken(s?.csrfToken ?? '');
    setSession(s);
  };
  useEffect(() => {
    onLoginRequired(() => accept(null));
    api.probe<SessionInfo>('/api/auth/session').then(accept, () => accept(null));
  }, []);
  if (session === undefined) return <p className="muted boot">Loading…</p>;
  if (session === null) return <LoginPage onLogin={accept} />;
  const logout = () => api.post('/api/auth/logout', {}).finally(() => accept(null));
  return (
    <RoleContext.Provider value={session.user.role}>
      <Layout user={session.user.name} onLogout={logout}>
        <Routes />
      </Layout>
    </RoleContext.Provider>
  );
}
