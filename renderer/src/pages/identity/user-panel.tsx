import { useMemo, useState, type ReactElement } from 'react';
import type { UserView } from '../../../../main/api/contract/index';
import { identityApi } from '../../api/identity-api';
import { ConfirmDialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { plural } from '../../components/plural';
import { useBusy } from '../../components/use-busy';
import { selectGroups, useIdentity } from '../../stores/identity';
import { AssignmentList, AssignRoleForm } from './assign-form';
import type { NamedAssignment } from './names';
import { PanelHead } from './panel-head';
import { ResetPasswordDialog } from './user-dialogs';

/** One user: enable or disable, reset the password, their groups and roles on projects (own, through groups, inherited), deletion. */
export function UserPanel({ user, roles, onClose }: { user: UserView; roles: NamedAssignment[]; onClose: () => void }): ReactElement {
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [busy, run] = useBusy();
  const allGroups = useIdentity(selectGroups);
  const groups = useMemo(() => allGroups.filter((g) => g.memberIds.includes(user.id)), [allGroups, user.id]);
  const builtInNote = user.builtIn ? 'DeskStack’s local administrator cannot be disabled or deleted' : undefined;

  return (
    <aside className="detail" aria-label={`User ${user.name}`}>
      <PanelHead name={user.name} enabled={user.enabled} onClose={onClose}>
          <button className="btn sm" disabled={busy || user.builtIn} title={builtInNote} onClick={() => void run(`Could not ${user.enabled ? 'disable' : 'enable'} ${user.name}`, () => identityApi.userUpdate({ id: user.id, enabled: !user.enabled }))}>
            {user.enabled ? 'Disable' : 'Enable'}
          </button>
          <button className="btn sm" onClick={() => setResetting(true)}><Icon.key /> Reset password</button>
          <button className="btn sm danger" style={{ marginLeft: 'auto' }} disabled={user.builtIn} title={builtInNote} onClick={() => setConfirmDelete(true)}><Icon.trash /> Delete</button>
      </PanelHead>
      <div className="detail-body">
        <dl className="kv">
          <dt>ID</dt><dd className="mono">{user.id}</dd>
          <dt>Email</dt><dd>{user.email ?? '—'}</dd>
          <dt>Created</dt><dd>{new Date(user.createdAt).toLocaleString()}</dd>
          <dt>Groups</dt><dd data-testid="user-groups">{groups.length ? groups.map((g) => g.name).join(', ') : <span className="muted">none</span>}</dd>
        </dl>
        {!user.enabled && <div className="callout amber"><Icon.warn /> Disabled: {user.name} cannot sign in, and their sessions have ended.</div>}
        <section className="panel-section">
          <h3>Roles on projects</h3>
          <AssignmentList items={roles} side="project" empty={`No roles yet: ${user.name} cannot sign in to any project.`} />
          <AssignRoleForm userId={user.id} />
        </section>
      </div>
      {resetting && <ResetPasswordDialog user={user} onClose={() => setResetting(false)} />}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete user ${user.name}?`}
          confirmLabel="Delete user"
          busy={busy}
          body={<p>This deletes the user <b>{user.name}</b>, their {plural(roles.filter((r) => r.source === null).length, 'role')} on projects and their place in {plural(groups.length, 'group')}; their sessions end at once. Instances they launched stay with their projects. It cannot be undone.</p>}
          onClose={() => setConfirmDelete(false)}
          onConfirm={() => void run(`Could not delete ${user.name}`, () => identityApi.userDelete(user.id)).then((ok) => ok && onClose())}
        />
      )}
    </aside>
  );
}
