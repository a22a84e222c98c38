import { useState, type ReactElement } from 'react';
import { asClientError, client } from '../api/client';
import { signedIn } from '../stores/sync';
import { navigate } from '../stores/ui';

// In a browser (serve mode) anyone reaching the port sees this page: only who started serve knows the printed password.
const needsCurrent = !window.deskstack;

type Step = 'current' | 'password' | 'mode';

/** First run: (in a browser) prove you started serve, choose the admin password, then start with the demo rack or add hosts later. */
export function SetupWizard(): ReactElement {
  const steps: Step[] = needsCurrent ? ['current', 'password', 'mode'] : ['password', 'mode'];
  const [step, setStep] = useState<Step>(steps[0]);
  const [current, setCurrent] = useState('');
  const [currentError, setCurrentError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState<null | 'demo' | 'empty'>(null);
  const [error, setError] = useState<string | null>(null);

  const tooShort = password.length > 0 && password.length < 8;
  const mismatch = confirm.length > 0 && confirm !== password;
  const passwordOk = password.length >= 8 && confirm === password;

  // The printed password is checked here, on the first step, not after the other two.
  async function verify(): Promise<void> {
    setChecking(true);
    setCurrentError(null);
    try {
      await client.call('setupVerify', { currentPassword: current });
      setStep('password');
    } catch (err) {
      setCurrentError(asClientError(err).message);
    } finally {
      setChecking(false);
    }
  }

  async function start(mode: 'demo' | 'empty'): Promise<void> {
    setBusy(mode);
    setError(null);
    try {
      const result = await client.call('setupStart', { adminPassword: password, mode, ...(needsCurrent ? { currentPassword: current } : {}) });
      signedIn(result);
      navigate(mode === 'demo' ? 'overview' : 'hosts');
    } catch (err) {
      const e = asClientError(err);
      setBusy(null);
      // A wrong printed password is fixed on the first step, so show it there.
      if (needsCurrent && e.code === 'Unauthorized') {
        setCurrentError(e.message);
        setStep('current');
      } else setError(e.message);
    }
  }

  return (
    <div className="center-screen">
      <div className="card auth-card wide">
        <div className="brand" style={{ padding: 0 }}>
          <div className="brand-mark">D</div> DeskStack
        </div>
        <div className="steps" style={{ padding: 0 }}>
          {steps.map((s, i) => (
            <div key={s} className={`step${i <= steps.indexOf(step) ? ' on' : ''}`} />
          ))}
        </div>
        {step === 'current' ? (
          <form
            style={{ display: 'flex', flexDirection: 'column', gap: 14 }}
            onSubmit={(e) => {
              e.preventDefault();
              if (current.length > 0 && !checking) void verify();
            }}
          >
            <div>
              <h1>Welcome — let’s set up your cloud</h1>
              <p className="muted" style={{ marginTop: 6 }}>
                First, enter the admin password printed by <code>deskstack serve</code> when it first started (or the <code>DESKSTACK_ADMIN_PASSWORD</code> you gave it). This shows you are the one running this server.
              </p>
            </div>
            <label className="field">
              <span>Admin password printed by <code>deskstack serve</code></span>
              <input type="password" autoFocus autoComplete="current-password" value={current} aria-invalid={currentError !== null} onChange={(e) => setCurrent(e.target.value)} name="currentPassword" />
              {currentError && <span className="error-text">{currentError}</span>}
            </label>
            <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
              <button className="btn primary" type="submit" disabled={current.length === 0 || checking}>{checking && <span className="spinner" />} Continue</button>
            </div>
          </form>
        ) : step === 'password' ? (
          <form
            style={{ display: 'flex', flexDirection: 'column', gap: 14 }}
            onSubmit={(e) => {
              e.preventDefault();
              if (passwordOk) setStep('mode');
            }}
          >
            <div>
              <h1>{needsCurrent ? 'Choose the admin password' : 'Welcome — let’s set up your cloud'}</h1>
              <p className="muted" style={{ marginTop: 6 }}>
                {needsCurrent ? 'Now choose' : 'First, choose'} the password of the <b>admin</b> user. You will use it to sign in here and with the <code>openstack</code> command line.
              </p>
            </div>
            <label className="field">
              <span>Admin password</span>
              <input type="password" autoFocus autoComplete="new-password" value={password} aria-invalid={tooShort} onChange={(e) => setPassword(e.target.value)} name="password" />
              {tooShort ? <span className="error-text">At least 8 characters.</span> : <span className="hint">At least 8 characters.</span>}
            </label>
            <label className="field">
              <span>Confirm password</span>
              <input type="password" autoComplete="new-password" value={confirm} aria-invalid={mismatch} onChange={(e) => setConfirm(e.target.value)} name="confirm" />
              {mismatch && <span className="error-text">The passwords differ.</span>}
            </label>
            <div style={{ display: 'flex', justifyContent: needsCurrent ? 'space-between' : 'flex-end' }}>
              {needsCurrent && <button className="btn ghost" type="button" onClick={() => setStep('current')}>Back</button>}
              <button className="btn primary" type="submit" disabled={!passwordOk}>Continue</button>
            </div>
          </form>
        ) : (
          <div style={{ display: 'flex', flexDirection: 'column', gap: 14 }}>
            <div>
              <h1>How do you want to start?</h1>
              <p className="muted" style={{ marginTop: 6 }}>You can add real hosts at any time; the demo rack can stay beside them.</p>
            </div>
            <div className="big-choice">
              <button className="choice" disabled={busy !== null} onClick={() => void start('demo')}>
                <h3>{busy === 'demo' ? <span className="spinner" /> : null} Start with the demo rack</h3>
                <p>Three simulated hosts, flavors, a CirrOS image and a private network. Instances boot, fail and log like real ones.</p>
              </button>
              <button className="choice" disabled={busy !== null} onClick={() => void start('empty')}>
                <h3>{busy === 'empty' ? <span className="spinner" /> : null} Add hosts later</h3>
                <p>Start empty and add your own Linux machines with KVM over SSH from the Hosts page.</p>
              </button>
            </div>
            {error && <div className="callout red">{error}</div>}
            <div>
              <button className="btn ghost" onClick={() => setStep('password')} disabled={busy !== null}>Back</button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
