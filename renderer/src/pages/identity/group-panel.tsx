import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { GroupView } from '../../../../main/api/contract/index';
import { identityApi } from '../../api/identity-api';
import { ConfirmDialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { plural } from '../../components/plural';
import { useBusy } from '../../components/use-busy';
import { selectUsers, useIdentity } from '../../stores/identity';
import { toast } from '../../stores/ui';
import { AssignRoleForm, RemoveButton, SourceNote } from './assign-form';
import type { NamedGroupGrant } from './group-grants';
import { PanelHead } from './panel-head';

/** Adds one of the users who are not members yet. */
function AddMemberForm({ group }: { group: GroupView }): ReactElement {
  const users = useIdentity(selectUsers);
  const [userId, setUserId] = useState('');
  const [busy, run] = useBusy();
  const others = users.filter((u) => !group.memberIds.includes(u.id));
  const add = async () => {
    const name = users.find((u) => u.id === userId)?.name;
    if (await run(`Could not add ${name} to ${group.name}`, () => identityApi.groupMemberAdd(group.id, userId))) {
      toast('success', `${name} joined ${group.name}`, group.grants.length ? 'They hold the group’s roles now.' : undefined);
      setUserId('');
    }
  };
  return (
    <div className="assign-form">
      <select aria-label="New member" value={userId} disabled={others.length === 0} onChange={(e) => setUserId(e.target.value)}>
        <option value="">{others.length ? 'User…' : 'Everyone is a member'}</option>
        {others.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
      </select>
      <button className="btn sm primary" disabled={busy || !userId} onClick={() => void add()}>{busy ? <span className="spinner" /> : <Icon.plus />} Add member</button>
    </div>
  );
}

function GrantList({ group, grants }: { group: GroupView; grants: NamedGroupGrant[] }): ReactElement {
  if (grants.length === 0) return <p className="muted">No roles yet: the group gives its members nothing.</p>;
  return (
    <ul className="plain-list">
      {grants.map((g) => (
        <li key={g.key}>
          <span className="clip"><b>{g.where}</b></span> <span className="tag">{g.roleName}</span>
          {g.editable && g.projectId ? (
            <RemoveButton label={`${g.roleName} role of group ${group.name} on ${g.where}`} onRemove={() => identityApi.groupRoleUnassign({ groupId: group.id, projectId: g.projectId!, roleId: g.roleId })} />
          ) : (
            <SourceNote source={g.inherited ? 'inherited' : 'on the domain'} />
          )}
        </li>
      ))}
    </ul>
  );
}

/** One group: name and description, its members, the roles it gives them on projects, deletion. */
export function GroupPanel({ group, grants, onClose }: { group: GroupView; grants: NamedGroupGrant[]; onClose: () => void }): ReactElement {
  const users = useIdentity(selectUsers);
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, run] = useBusy();
  useEffect(() => {
    setName(group.name);
    setDescription(group.description);
  }, [group.name, group.description]);
  const members = useMemo(() => users.filter((u) => group.memberIds.includes(u.id)), [users, group.memberIds]);
  const edited = name.trim() !== group.name || description !== group.description;
  const gives = [...new Set(grants.map((g) => `${g.roleName} on ${g.where}`))];

  return (
    <aside className="detail" aria-label={`Group ${group.name}`}>
      <PanelHead name={group.name} onClose={onClose}>
        <span className="muted">{plural(members.length, 'member')} · {plural(grants.length, 'role')}</span>
        <button className="btn sm danger" style={{ marginLeft: 'auto' }} onClick={() => setConfirmDelete(true)}><Icon.trash /> Delete</button>
      </PanelHead>
      <div className="detail-body">
        <section className="panel-section">
          <h3>Details</h3>
          <label className="field"><span>Name</span><input name="groupName" value={name} maxLength={255} onChange={(e) => setName(e.target.value)} /></label>
          <label className="field"><span>Description</span><input name="groupDescription" value={description} maxLength={255} onChange={(e) => setDescription(e.target.value)} /></label>
          {edited && (
            <div className="row-end">
              <button className="btn sm" onClick={() => { setName(group.name); setDescription(group.description); }}>Undo</button>
              <button className="btn sm primary" disabled={busy || !name.trim()} onClick={() => void run(`Could not save ${group.name}`, () => identityApi.groupUpdate({ id: group.id, name: name.trim(), description }))}>Save</button>
            </div>
          )}
        </section>
        <section className="panel-section">
          <h3>Members <span className="muted">{plural(members.length, 'user')}</span></h3>
          {members.length === 0 ? (
            <p className="muted">Nobody yet.</p>
          ) : (
            <ul className="plain-list" aria-label="Members">
              {members.map((u) => (
                <li key={u.id}>
                  <span className="clip"><b>{u.name}</b></span>
                  <RemoveButton label={`${u.name} from ${group.name}`} onRemove={() => identityApi.groupMemberRemove(group.id, u.id)} />
                </li>
              ))}
            </ul>
          )}
          <AddMemberForm group={group} />
        </section>
        <section className="panel-section">
          <h3>Roles on projects</h3>
          <p className="hint">Every member holds these roles, besides their own.</p>
          <GrantList group={group} grants={grants} />
          <AssignRoleForm groupId={group.id} />
        </section>
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete group ${group.name}?`}
          confirmLabel="Delete group"
          busy={busy}
          body={
            <p>
              This deletes the group <b>{group.name}</b>.{' '}
              {members.length > 0 && gives.length > 0 ? <>Its {plural(members.length, 'member')} lose what it gives them: <b>{gives.join(', ')}</b>. </> : null}
              The users themselves stay. It cannot be undone.
            </p>
          }
          onClose={() => setConfirmDelete(false)}
          onConfirm={() => void run(`Could not delete ${group.name}`, () => identityApi.groupDelete(group.id)).then((ok) => ok && onClose())}
        />
      )}
    </aside>
  );
}
