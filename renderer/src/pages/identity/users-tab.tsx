import { useMemo, useState, type ReactElement } from 'react';
import { Icon } from '../../components/icons';
import { timeAgo } from '../../components/meter';
import { plural } from '../../components/plural';
import { StatusChip } from '../../components/status-chip';
import { selectUsers, useIdentity } from '../../stores/identity';
import { useNamedAssignments, type NamedAssignment } from './names';
import { NewUserDialog } from './user-dialogs';
import { UserPanel } from './user-panel';

export function UsersTab(): ReactElement {
  const users = useIdentity(selectUsers);
  const assignments = useNamedAssignments();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const byUser = useMemo(() => {
    const m = new Map<string, NamedAssignment[]>();
    for (const a of assignments) m.set(a.userId, [...(m.get(a.userId) ?? []), a]);
    return m;
  }, [assignments]);
  const user = users.find((u) => u.id === selected);

  return (
    <div className="split">
      <div className="table-wrap">
        <div className="table-toolbar">
          <span className="count" style={{ marginLeft: 0 }}>{plural(users.length, 'user')}</span>
          <button className="btn sm primary" style={{ marginLeft: 'auto' }} onClick={() => setCreating(true)}><Icon.plus /> New user</button>
        </div>
        <div className="scroll">
          <table className="simple-table selectable">
            <thead><tr><th>Name</th><th>State</th><th>Projects</th><th>Created</th></tr></thead>
            <tbody>
              {users.map((u) => {
                const held = [...new Set((byUser.get(u.id) ?? []).map((a) => `${a.projectName} (${a.roleName})`))].join(', ');
                return (
                  <tr key={u.id} className={u.id === selected ? 'selected' : ''} onClick={() => setSelected(u.id)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && setSelected(u.id)} data-user={u.name}>
                    <td className="clip-cell"><b>{u.name}</b>{u.email && <div className="muted clip">{u.email}</div>}</td>
                    <td><StatusChip status={u.enabled ? 'ENABLED' : 'DISABLED'} /></td>
                    <td className="clip-cell" title={held}>{held || <span className="muted">none</span>}</td>
                    <td className="muted">{timeAgo(u.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </div>
      {user && <UserPanel key={user.id} user={user} roles={byUser.get(user.id) ?? []} onClose={() => setSelected(null)} />}
      {creating && <NewUserDialog onClose={() => setCreating(false)} onCreated={(id) => { setCreating(false); setSelected(id); }} />}
    </div>
  );
}
