import { useState, type ReactElement } from 'react';
import type { AppCredentialCreated } from '../../../../main/api/contract/index';
import { identityApi } from '../../api/identity-api';
import { Dialog } from '../../components/dialog';
import { useBusy } from '../../components/use-busy';
import { selectSession, useSession } from '../../stores/session';

const EXPIRY = [
  { id: 'never', label: 'Never' },
  { id: '30', label: 'In 30 days' },
  { id: '90', label: 'In 90 days' },
  { id: '365', label: 'In a year' },
  { id: 'date', label: 'On a date…' },
] as const;
type Expiry = (typeof EXPIRY)[number]['id'];

const DAY = 86_400_000;

/** The chosen expiry as an ISO timestamp (end of the chosen local day), null for never, or the reason it is not valid. */
function expiryOf(kind: Expiry, date: string, now: number): { at: string | null } | { error: string } {
  if (kind === 'never') return { at: null };
  if (kind !== 'date') return { at: new Date(now + Number(kind) * DAY).toISOString() };
  const at = date ? new Date(`${date}T23:59:59`) : null;
  if (!at || Number.isNaN(at.getTime())) return { error: 'Choose a date.' };
  if (at.getTime() <= now) return { error: 'Choose a day after today.' };
  return { at: at.toISOString() };
}

/** Makes an application credential on the session's project with some of the session's roles there. */
export function NewAppCredentialDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (c: AppCredentialCreated) => void }): ReactElement {
  const session = useSession(selectSession);
  const held = session?.roles ?? [];
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [roles, setRoles] = useState<string[]>(() => (held.includes('member') ? ['member'] : held));
  const [expiry, setExpiry] = useState<Expiry>('never');
  const [date, setDate] = useState('');
  const [unrestricted, setUnrestricted] = useState(false);
  const [busy, run] = useBusy();
  const exp = expiryOf(expiry, date, Date.now());
  const ok = name.trim() && roles.length > 0 && 'at' in exp;
  const toggle = (r: string) => setRoles((cur) => (cur.includes(r) ? cur.filter((x) => x !== r) : [...held.filter((x) => x === r || cur.includes(x))]));

  const create = () =>
    void run('Could not create the application credential', async () => {
      if (!('at' in exp)) return;
      onCreated(await identityApi.appCredentialCreate({ name: name.trim(), ...(description ? { description } : {}), roles, unrestricted, ...(exp.at ? { expiresAt: exp.at } : {}) }));
    });

  return (
    <Dialog
      title="New application credential"
      onClose={onClose}
      wide
      draft={name || description ? 'the new application credential' : null}
      footer={
        <>
          <span className="left clip">{ok ? <>On <b>{session?.projectName}</b> as {roles.join(', ')}{'at' in exp && exp.at ? `, until ${new Date(exp.at).toLocaleDateString()}` : ', no expiry'}{unrestricted ? ', unrestricted' : ''}</> : null}</span>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn primary" disabled={busy || !ok} onClick={create}>{busy && <span className="spinner" />} Create credential</button>
        </>
      }
    >
      <form className="wizard-form" onSubmit={(e) => { e.preventDefault(); if (ok && !busy) create(); }}>
        <p className="hint">A secret for a script, Terraform or Ansible instead of your password. It acts as <b>{session?.userName}</b> on <b>{session?.projectName}</b> with the roles you choose, and ends when you revoke it, when it expires, or when you lose those roles.</p>
        <div className="grid cols-2">
          <label className="field"><span>Name</span><input name="name" value={name} maxLength={255} autoComplete="off" onChange={(e) => setName(e.target.value)} placeholder="terraform-ci" /></label>
          <label className="field"><span>Description <span className="muted">(optional)</span></span><input name="description" value={description} maxLength={255} onChange={(e) => setDescription(e.target.value)} /></label>
        </div>
        <fieldset className="field-set">
          <legend>Roles on {session?.projectName}</legend>
          <div className="check-row">
            {held.map((r) => (
              <label key={r} className="check"><input type="checkbox" name={`role-${r}`} checked={roles.includes(r)} onChange={() => toggle(r)} /> {r}</label>
            ))}
          </div>
          <span className={roles.length ? 'hint' : 'error-text'}>{roles.length ? 'Only what these roles allow, and no more: fewer roles, less harm if the secret leaks.' : 'Choose at least one role.'}</span>
        </fieldset>
        <div className="grid cols-2">
          <label className="field">
            <span>Expires</span>
            <select name="expiry" value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)}>
              {EXPIRY.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
            </select>
          </label>
          {expiry === 'date' && (
            <label className="field">
              <span>Expiry date</span>
              <input type="date" name="expiryDate" value={date} aria-invalid={'error' in exp} onChange={(e) => setDate(e.target.value)} />
              {'error' in exp && <span className="error-text">{exp.error}</span>}
            </label>
          )}
        </div>
        <label className="check">
          <input type="checkbox" name="unrestricted" checked={unrestricted} onChange={(e) => setUnrestricted(e.target.checked)} /> Unrestricted
          <span className="hint"> — may create further application credentials and trusts. Terraform and Ansible do not need it.</span>
        </label>
        {unrestricted && <span className="warn-text">Whoever holds an unrestricted secret can make new credentials that outlive this one.</span>}
      </form>
    </Dialog>
  );
}
