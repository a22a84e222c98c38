import { useState, type ReactElement } from 'react';
import type { UserView } from '../../../../main/api/contract/index';
import { MIN_PASSWORD } from '../../../../main/api/contract/rules';
import { identityApi } from '../../api/identity-api';
import { Dialog } from '../../components/dialog';
import { useBusy } from '../../components/use-busy';
import { selectProjects, selectRoles, useIdentity } from '../../stores/identity';
import { toast } from '../../stores/ui';

/** A password typed twice, checked as you type. */
function PasswordFields({ password, confirm, onPassword, onConfirm }: { password: string; confirm: string; onPassword: (v: string) => void; onConfirm: (v: string) => void }): ReactElement {
  const short = password.length > 0 && password.length < MIN_PASSWORD;
  const mismatch = confirm.length > 0 && confirm !== password;
  return (
    <div className="grid cols-2">
      <label className="field">
        <span>Password</span>
        <input name="password" type="password" autoComplete="new-password" value={password} aria-invalid={short} onChange={(e) => onPassword(e.target.value)} />
        <span className={short ? 'error-text' : 'hint'}>At least {MIN_PASSWORD} characters.</span>
      </label>
      <label className="field">
        <span>Confirm password</span>
        <input name="confirm" type="password" autoComplete="new-password" value={confirm} aria-invalid={mismatch} onChange={(e) => onConfirm(e.target.value)} />
        {mismatch && <span className="error-text">The passwords differ.</span>}
      </label>
    </div>
  );
}

const passwordOk = (p: string, c: string) => p.length >= MIN_PASSWORD && p === c;

/** Creates a user with a password and, optionally, a role on a project in the same step. */
export function NewUserDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (id: string) => void }): ReactElement {
  const projects = useIdentity(selectProjects);
  const roles = useIdentity(selectRoles);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [projectId, setProjectId] = useState('');
  const [roleId, setRoleId] = useState('');
  const [busy, run] = useBusy();
  const role = roleId || roles.find((r) => r.name === 'member')?.id || '';
  const emailError = email.trim() && !/^[^\s@]+@[^\s@]+$/.test(email.trim()) ? 'Like name@example.org.' : null;
  const ok = name.trim() && passwordOk(password, confirm) && !emailError;

  const create = () =>
    void run('Could not create the user', async () => {
      const u = await identityApi.userCreate({ name: name.trim(), password, ...(email.trim() ? { email: email.trim() } : {}), ...(projectId ? { defaultProjectId: projectId } : {}) });
      if (projectId && role) {
        try {
          await identityApi.roleAssign({ userId: u.id, projectId, roleId: role });
        } catch (err) {
          onCreated(u.id);
          throw new Error(`User ${u.name} was created, but the role was not assigned: ${(err as Error).message}`);
        }
      }
      const p = projects.find((x) => x.id === projectId);
      toast('success', `User ${u.name} created`, p ? `${roles.find((r) => r.id === role)?.name} on ${p.name}.` : 'Assign a role on a project so they can sign in.');
      onCreated(u.id);
    });

  return (
    <Dialog
      title="New user"
      onClose={onClose}
      wide
      draft={name || email || password ? 'the new user' : null}
      footer={<><button className="btn" onClick={onClose}>Cancel</button><button className="btn primary" disabled={busy || !ok} onClick={create}>{busy && <span className="spinner" />} Create user</button></>}
    >
      <form className="wizard-form" onSubmit={(e) => { e.preventDefault(); if (ok && !busy) create(); }}>
        <div className="grid cols-2">
          <label className="field"><span>User name</span><input name="name" value={name} maxLength={255} autoComplete="off" onChange={(e) => setName(e.target.value)} placeholder="zoe" /></label>
          <label className="field">
            <span>Email <span className="muted">(optional)</span></span>
            <input name="email" value={email} aria-invalid={Boolean(emailError)} onChange={(e) => setEmail(e.target.value)} />
            {emailError && <span className="error-text">{emailError}</span>}
          </label>
        </div>
        <PasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
        <div className="grid cols-2">
          <label className="field">
            <span>Project</span>
            <select name="project" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
              <option value="">None yet</option>
              {projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </select>
            <span className="hint">They sign in to this project by default.</span>
          </label>
          <label className="field">
            <span>Role on the project</span>
            <select name="role" value={role} disabled={!projectId} onChange={(e) => setRoleId(e.target.value)}>
              {roles.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
            </select>
            <span className="hint">member: use the project · reader: look only · admin: run the whole cloud.</span>
          </label>
        </div>
      </form>
    </Dialog>
  );
}

/** An admin sets a new password; the user's sessions end. */
export function ResetPasswordDialog({ user, onClose }: { user: UserView; onClose: () => void }): ReactElement {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, run] = useBusy();
  const save = () =>
    void run(`Could not reset the password of ${user.name}`, async () => {
      await identityApi.userSetPassword(user.id, password);
      toast('success', `Password of ${user.name} changed`, 'Their open sessions have ended.');
      onClose();
    });
  return (
    <Dialog
      title={`Reset password of ${user.name}`}
      onClose={onClose}
      draft={password ? 'the new password' : null}
      footer={<><button className="btn" onClick={onClose}>Cancel</button><button className="btn primary" disabled={busy || !passwordOk(password, confirm)} onClick={save}>{busy && <span className="spinner" />} Set password</button></>}
    >
      <form className="wizard-form" onSubmit={(e) => { e.preventDefault(); if (passwordOk(password, confirm) && !busy) save(); }}>
        <PasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} />
        <p className="hint">{user.name} is signed out everywhere and signs in again with the new password.</p>
      </form>
    </Dialog>
  );
}
