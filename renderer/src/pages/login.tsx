import { useState, type ReactElement } from 'react';
import { asClientError, client } from '../api/client';
import { useSession } from '../stores/session';
import { signedIn } from '../stores/sync';

/** Browser sign-in (serve mode): a Keystone password login; the token is kept for the contract calls. */
export function LoginPage(): ReactElement {
  const notice = useSession((s) => s.error);
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [project, setProject] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await client.call('authLogin', { username, password, ...(project.trim() ? { project: project.trim() } : {}) }));
    } catch (err) {
      setError(asClientError(err).message);
      setBusy(false);
    }
  }

  return (
    <div className="center-screen">
      <form className="card auth-card" onSubmit={submit}>
        <div className="brand" style={{ padding: 0 }}>
          <div className="brand-mark">D</div> DeskStack
        </div>
        <div>
          <h1>Sign in</h1>
          <p className="muted" style={{ marginTop: 4 }}>Use a DeskStack (Keystone) user, as with the openstack CLI.</p>
        </div>
        {notice && !error && <div className="callout amber">{notice}</div>}
        <label className="field">
          <span>User name</span>
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input name="password" type="password" autoFocus autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label className="field">
          <span>Project</span>
          <input name="project" placeholder="Your first project" value={project} onChange={(e) => setProject(e.target.value)} />
        </label>
        {error && <div className="callout red">{error}</div>}
        <button className="btn primary" type="submit" disabled={busy || !username || !password} style={{ justifyContent: 'center', height: 34 }}>
          {busy ? <span className="spinner" /> : null} Sign in
        </button>
      </form>
    </div>
  );
}
