import { useState, type ReactElement } from 'react';
import { identityApi } from '../../api/identity-api';
import { Icon } from '../../components/icons';
import { useBusy } from '../../components/use-busy';
import { selectGroups, selectProjects, selectRoles, selectUsers, useIdentity } from '../../stores/identity';
import { toast } from '../../stores/ui';
import type { NamedAssignment } from './names';

/**
 * Gives a user, or a group (groupId), a role on a project; a fixed user, group or project leaves only the
 * other choices.
 */
export function AssignRoleForm({ userId, groupId, projectId }: { userId?: string; groupId?: string; projectId?: string }): ReactElement {
  const users = useIdentity(selectUsers);
  const groups = useIdentity(selectGroups);
  const projects = useIdentity(selectProjects);
  const roles = useIdentity(selectRoles);
  const [user, setUser] = useState('');
  const [project, setProject] = useState('');
  const [role, setRole] = useState('');
  const [busy, run] = useBusy();
  const u = groupId ? '' : (userId ?? user);
  const p = projectId ?? project;
  const r = role || roles.find((x) => x.name === 'member')?.id || '';
  const who = groupId ? `Group ${groups.find((x) => x.id === groupId)?.name}` : users.find((x) => x.id === u)?.name;

  async function assign(): Promise<void> {
    const ok = await run('Could not assign the role', () => (groupId ? identityApi.groupRoleAssign({ groupId, projectId: p, roleId: r }) : identityApi.roleAssign({ userId: u, projectId: p, roleId: r })));
    if (ok) {
      toast('success', `${who} is now ${roles.find((x) => x.id === r)?.name} on ${projects.find((x) => x.id === p)?.name}`, groupId ? 'Every member holds the role.' : undefined);
      if (!userId) setUser('');
      if (!projectId) setProject('');
    }
  }

  return (
    <div className="assign-form">
      {!userId && !groupId && (
        <select aria-label="User" value={user} onChange={(e) => setUser(e.target.value)}>
          <option value="">User…</option>
          {users.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
      )}
      {!projectId && (
        <select aria-label="Project" value={project} onChange={(e) => setProject(e.target.value)}>
          <option value="">Project…</option>
          {projects.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
        </select>
      )}
      <select aria-label="Role" value={r} onChange={(e) => setRole(e.target.value)}>
        {roles.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
      </select>
      <button className="btn sm primary" disabled={busy || !(u || groupId) || !p || !r} onClick={() => void assign()}>
        {busy ? <span className="spinner" /> : <Icon.plus />} Assign role
      </button>
    </div>
  );
}

/** A small remove button for one entry of a list (a grant, a membership); busy while it runs. */
export function RemoveButton({ label, onRemove }: { label: string; onRemove: () => Promise<unknown> }): ReactElement {
  const [busy, run] = useBusy();
  return (
    <button className="btn ghost sm danger icon-btn" aria-label={`Remove ${label}`} title={`Remove ${label}`} disabled={busy} onClick={() => void run(`Could not remove ${label}`, onRemove)}>
      {busy ? <span className="spinner" /> : <Icon.close />}
    </button>
  );
}

/** One direct assignment's remove button. */
export function UnassignButton({ userId, projectId, roleId, label }: { userId: string; projectId: string; roleId: string; label: string }): ReactElement {
  return <RemoveButton label={label} onRemove={() => identityApi.roleUnassign({ userId, projectId, roleId })} />;
}

/** Where a role comes from when it is not removable here (a group's or an inherited grant). */
export function SourceNote({ source }: { source: string }): ReactElement {
  return <span className="source-note" title={`Change it at its source: ${source}`}>{source}</span>;
}

/**
 * Role assignments seen from one side: a project's members, or a user's projects. Direct grants can be
 * removed; roles held through a group or inherited say where they come from.
 */
export function AssignmentList({ items, side, empty }: { items: NamedAssignment[]; side: 'user' | 'project'; empty: string }): ReactElement {
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="plain-list">
      {items.map((a) => (
        <li key={a.key} data-source={a.source ?? 'direct'}>
          <span className="clip"><b>{side === 'user' ? a.userName : a.projectName}</b></span> <span className="tag">{a.roleName}</span>
          {a.source ? <SourceNote source={a.source} /> : <UnassignButton userId={a.userId} projectId={a.projectId} roleId={a.roleId} label={`${a.roleName} role of ${a.userName} on ${a.projectName}`} />}
        </li>
      ))}
    </ul>
  );
}
