import { useState, type ReactElement } from 'react';
import type { HostAuthInput } from '../../api/hosts-api';

export interface ConnectValues {
  local: boolean;
  name: string;
  address: string;
  port: string;
  user: string;
  authKind: 'password' | 'key';
  password: string;
  privateKey: string;
  keyFileName: string;
  passphrase: string;
}

export const emptyConnect = (): ConnectValues => ({ local: false, name: '', address: '', port: '22', user: 'root', authKind: 'password', password: '', privateKey: '', keyFileName: '', passphrase: '' });

const ADDRESS = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]{2,45}\]?$/;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/;
const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,62})$/;

/** Problems with the form, by field, checked as the user types. */
export function connectErrors(v: ConnectValues): Partial<Record<keyof ConnectValues, string>> {
  const e: Partial<Record<keyof ConnectValues, string>> = {};
  if (v.name && !NAME.test(v.name)) e.name = 'Letters, digits, . _ and - (up to 63), starting with a letter or digit.';
  if (v.local) return e;
  if (!v.address.trim()) e.address = 'Enter the host’s IP address or DNS name.';
  else if (!ADDRESS.test(v.address.trim())) e.address = 'Not an IP address or DNS name.';
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) e.port = 'A port from 1 to 65535.';
  if (!USER.test(v.user)) e.user = 'A Linux user name such as root or admin.';
  if (v.authKind === 'password' && !v.password) e.password = 'Enter the password (used once, to install DeskStack’s key).';
  if (v.authKind === 'key' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v.privateKey)) e.privateKey = 'Choose an OpenSSH private key file.';
  return e;
}

/** What closing the wizard would throw away ("the host 10.0.0.5"), or null when nothing was typed. */
export function connectDraft(v: ConnectValues): string | null {
  const blank = emptyConnect();
  const typed = (Object.keys(blank) as Array<keyof ConnectValues>).some((k) => v[k] !== blank[k]);
  if (!typed) return null;
  return v.local ? 'adding this computer' : v.address.trim() ? `the host ${v.address.trim()}` : 'the host you were adding';
}

export function authOf(v: ConnectValues): HostAuthInput | undefined {
  if (v.local) return undefined;
  return v.authKind === 'password' ? { password: v.password } : { privateKey: v.privateKey, ...(v.passphrase ? { passphrase: v.passphrase } : {}) };
}

/** Step 1: where the host is and how to log in once. */
export function ConnectForm({ value, onChange }: { value: ConnectValues; onChange: (v: ConnectValues) => void }): ReactElement {
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const errors = connectErrors(value);
  const set = <K extends keyof ConnectValues>(k: K, val: ConnectValues[K]) => onChange({ ...value, [k]: val });
  const err = (k: keyof ConnectValues) => (touched.has(k) ? errors[k] : undefined);
  const touch = (k: string) => () => setTouched((t) => new Set(t).add(k));
  return (
    <div className="connect-form">
      <div className="big-choice">
        <button type="button" className={`choice${!value.local ? ' on' : ''}`} onClick={() => set('local', false)}>
          <h3>A machine on the network</h3>
          <p>Reached over SSH. DeskStack installs its own key; your password is used once.</p>
        </button>
        <button type="button" className={`choice${value.local ? ' on' : ''}`} onClick={() => set('local', true)}>
          <h3>This computer</h3>
          <p>Run VMs on the machine DeskStack runs on (Linux with KVM).</p>
        </button>
      </div>
      {!value.local && (
        <>
          <div className="form-grid">
            <label className="field" style={{ gridColumn: 'span 2' }}>
              <span>Address</span>
              <input name="address" placeholder="192.168.1.20 or kvm1.lan" value={value.address} onChange={(e) => set('address', e.target.value)} onBlur={touch('address')} aria-invalid={Boolean(err('address'))} autoComplete="off" data-autofocus />
              {err('address') && <span className="error-text">{err('address')}</span>}
            </label>
            <label className="field">
              <span>SSH port</span>
              <input name="port" inputMode="numeric" value={value.port} onChange={(e) => set('port', e.target.value)} onBlur={touch('port')} aria-invalid={Boolean(err('port'))} />
              {err('port') && <span className="error-text">{err('port')}</span>}
            </label>
            <label className="field">
              <span>User</span>
              <input name="user" value={value.user} onChange={(e) => set('user', e.target.value)} onBlur={touch('user')} aria-invalid={Boolean(err('user'))} autoComplete="off" />
              {err('user') && <span className="error-text">{err('user')}</span>}
            </label>
          </div>
          <div className="segmented" role="radiogroup" aria-label="Log in with">
            <button type="button" role="radio" aria-checked={value.authKind === 'password'} className={value.authKind === 'password' ? 'on' : ''} onClick={() => set('authKind', 'password')}>Password</button>
            <button type="button" role="radio" aria-checked={value.authKind === 'key'} className={value.authKind === 'key' ? 'on' : ''} onClick={() => set('authKind', 'key')}>Private key file</button>
          </div>
          {value.authKind === 'password' ? (
            <label className="field">
              <span>Password for {value.user || 'the user'}</span>
              <input name="password" type="password" value={value.password} onChange={(e) => set('password', e.target.value)} onBlur={touch('password')} aria-invalid={Boolean(err('password'))} autoComplete="off" />
              <span className="hint">Sent once to install DeskStack’s own SSH key on the host; never stored.</span>
              {err('password') && <span className="error-text">{err('password')}</span>}
            </label>
          ) : (
            <>
              <label className="field">
                <span>Private key</span>
                <input
                  type="file"
                  name="keyfile"
                  onChange={async (e) => {
                    const f = e.target.files?.[0];
                    touch('privateKey')();
                    if (!f) return;
                    if (f.size > 64 * 1024) return onChange({ ...value, privateKey: '', keyFileName: f.name });
                    onChange({ ...value, privateKey: await f.text(), keyFileName: f.name });
                  }}
                />
                <span className="hint">Read in this window and sent once; DeskStack installs its own key and forgets this one.</span>
                {err('privateKey') && <span className="error-text">{err('privateKey')}</span>}
              </label>
              <label className="field">
                <span>Key passphrase (if any)</span>
                <input name="passphrase" type="password" value={value.passphrase} onChange={(e) => set('passphrase', e.target.value)} autoComplete="off" />
              </label>
            </>
          )}
        </>
      )}
      <label className="field">
        <span>Name in DeskStack (optional)</span>
        <input name="name" placeholder="Defaults to the host’s own hostname" value={value.name} onChange={(e) => set('name', e.target.value)} onBlur={touch('name')} aria-invalid={Boolean(err('name'))} autoComplete="off" />
        {err('name') && <span className="error-text">{err('name')}</span>}
      </label>
    </div>
  );
}
