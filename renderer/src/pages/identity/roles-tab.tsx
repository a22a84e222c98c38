import { useMemo, useState, type ReactElement } from 'react';
import { plural } from '../../components/plural';
import { selectRoles, useIdentity } from '../../stores/identity';
import { AssignRoleForm, SourceNote, UnassignButton } from './assign-form';
import { useNamedAssignments } from './names';

const ABOUT: Record<string, string> = {
  admin: 'Runs the whole cloud: hosts, every project, users and quotas.',
  member: 'Uses the project: launches and manages its instances, images and networks.',
  reader: 'Looks at the project without changing anything.',
};

/** Roles, and who holds which role on which project: directly, through a group, or inherited. */
export function RolesTab(): ReactElement {
  const roles = useIdentity(selectRoles);
  const assignments = useNamedAssignments();
  const [filter, setFilter] = useState('');
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const a of assignments) m.set(a.roleId, (m.get(a.roleId) ?? 0) + 1);
    return m;
  }, [assignments]);
  const f = filter.trim().toLowerCase();
  const shown = f ? assignments.filter((a) => [a.userName, a.projectName, a.roleName, a.source ?? 'direct'].some((x) => x.toLowerCase().includes(f))) : assignments;

  return (
    <div className="roles-tab">
      <div className="grid cols-3">
        {roles.map((r) => (
          <div key={r.id} className="card card-body role-card">
            <div className="row"><b>{r.name}</b><span className="muted" style={{ marginLeft: 'auto' }}>{plural(counts.get(r.id) ?? 0, 'assignment')}</span></div>
            <p className="hint">{r.description || ABOUT[r.name] || 'A custom role.'}</p>
          </div>
        ))}
      </div>
      <div className="card">
        <div className="card-head">
          <h2>Role assignments</h2>
          <input className="filter" placeholder="Filter by user, project, role or group…" aria-label="Filter role assignments" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        <div className="card-body"><AssignRoleForm /></div>
        <table className="simple-table">
          <thead><tr><th>User</th><th>Project</th><th>Role</th><th>Source</th><th /></tr></thead>
          <tbody>
            {shown.map((a) => (
              <tr key={a.key}>
                <td className="clip-cell"><b>{a.userName}</b></td>
                <td className="clip-cell">{a.projectName}</td>
                <td><span className="tag">{a.roleName}</span></td>
                <td className="clip-cell">{a.source ? <SourceNote source={a.source} /> : <span className="muted">direct</span>}</td>
                <td style={{ textAlign: 'right' }}>{a.source === null && <UnassignButton userId={a.userId} projectId={a.projectId} roleId={a.roleId} label={`${a.roleName} role of ${a.userName} on ${a.projectName}`} />}</td>
              </tr>
            ))}
            {shown.length === 0 && <tr><td colSpan={5} className="muted">{f ? `Nothing matches “${filter}”.` : 'No role assignments.'}</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
