import { useMemo, useState, type ReactElement } from 'react';
import { identityApi } from '../../api/identity-api';
import { Icon } from '../../components/icons';
import { plural } from '../../components/plural';
import { selectGroups, selectUsers, useIdentity } from '../../stores/identity';
import { toast } from '../../stores/ui';
import { useGroupGrants, type NamedGroupGrant } from './group-grants';
import { GroupPanel } from './group-panel';
import { NewNamedDialog } from './new-named-dialog';

const summary = (grants: NamedGroupGrant[] = []): string => grants.map((x) => `${x.where} (${x.roleName})`).join(', ');

export function GroupsTab(): ReactElement {
  const groups = useIdentity(selectGroups);
  const users = useIdentity(selectUsers);
  const grants = useGroupGrants(groups);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const names = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const group = groups.find((g) => g.id === selected);

  return (
    <div className="split">
      <div className="table-wrap">
        <div className="table-toolbar">
          <span className="count" style={{ marginLeft: 0 }}>{plural(groups.length, 'group')}</span>
          <button className="btn sm primary" style={{ marginLeft: 'auto' }} onClick={() => setCreating(true)}><Icon.plus /> New group</button>
        </div>
        {groups.length === 0 ? (
          <div className="empty">
            <Icon.identity />
            <h2>No groups yet</h2>
            <p>Give a team its roles once: make a group, give it a role on a project, and add people to it.</p>
          </div>
        ) : (
          <div className="scroll">
            <table className="simple-table selectable">
              <thead><tr><th>Name</th><th>Members</th><th>Roles on projects</th></tr></thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.id} className={g.id === selected ? 'selected' : ''} onClick={() => setSelected(g.id)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && setSelected(g.id)} data-group={g.name}>
                    <td className="clip-cell"><b>{g.name}</b>{g.description && <div className="muted clip">{g.description}</div>}</td>
                    <td className="clip-cell" title={g.memberIds.map((id) => names.get(id) ?? id).join(', ')}>
                      {g.memberIds.length === 0 ? <span className="muted">none</span> : g.memberIds.map((id) => names.get(id) ?? id).join(', ')}
                    </td>
                    <td className="clip-cell" title={summary(grants.get(g.id))}>{summary(grants.get(g.id)) || <span className="muted">none</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {group && <GroupPanel key={group.id} group={group} grants={grants.get(group.id) ?? []} onClose={() => setSelected(null)} />}
      {creating && (
        <NewNamedDialog
          kind="group"
          nameMax={255}
          placeholder="developers"
          hint="A group gives all its members the same roles on projects: give the role once, then add and remove people."
          create={async (name, description) => {
            const g = await identityApi.groupCreate({ name, description });
            toast('success', `Group ${g.name} created`, 'Add members and give it roles on projects.');
            return g.id;
          }}
          onClose={() => setCreating(false)}
          onCreated={(id) => { setCreating(false); setSelected(id); }}
        />
      )}
    </div>
  );
}
