import { useState, type ReactElement } from 'react';
import { asClientError, client } from '../api/client';
import { signedIn } from '../stores/sync';
import { navigate } from '../stores/ui';

/** First run: choose the admin password, then start with the demo rack or add hosts later. */
export function SetupWizard(): ReactElement {
  const [step, setStep] = useState<0 | 1>(0);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState<null | 'demo' | 'empty'>(null);
  const [error, setError] = useState<string | null>(null);

  const tooShort = password.length > 0 && password.length < 8;
  const mismatch = confirm.length > 0 && confirm !== password;
  const passwordOk = password.length >= 8 && confirm === password;

  async function start(mode: 'demo' | 'empty'): Promise<void> {
    setBusy(mode);
    setError(null);
    try {
      const result = await client.call('setupStart', { adminPassword: password, mode });
      signedIn(result);
      navigate(mode === 'demo' ? 'overview' : 'hosts');
    } catch (err) {
      setError(asClientError(err).message);
      setBusy(null);
    }
  }

  return (
    <div className="center-screen">
      <div className="card auth-card wide">
        <div className="brand" style={{ padding: 0 }}>
          <div className="brand-mark">D</div> DeskStack
        </div>
        <div className="steps" style={{ padding: 0 }}>
          <div className="step on" />
          <div className={`step${step === 1 ? ' on' : ''}`} />
        </div>
        {step === 0 ? (
          <form
            style={{ display: 'flex', flexDirection: 'column', gap: 14 }}
            onSubmit={(e) => {
              e.preventDefault();
              if (passwordOk) setStep(1);
            }}
          >
            <div>
              <h1>Welcome — let’s set up your cloud</h1>
              <p className="muted" style={{ marginTop: 6 }}>
                First, choose the password of the <b>admin</b> user. You will use it to sign in here and with the <code>openstack</code> command line.
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
            <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
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
              <button className="btn ghost" onClick={() => setStep(0)} disabled={busy !== null}>Back</button>
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
