import { useState, type FormEvent } from 'react';
import { api } from '../api';
import type { SessionInfo } from '../session';

export function LoginPage({ onLogin }: { onLogin: (s: SessionInfo) => void }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError('');
    api.post<SessionInfo>('/api/auth/login', { name, password }).then(onLogin, (err: Error) => setError(err.message));
  };
  return (
    <form className="login" onSubmit={submit} aria-label="login">
      <h1>vsa dashboard</h1>
      <label>
        User
        <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit">Log in</button>
    </form>
  );
}
