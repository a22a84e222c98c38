import { useMemo, useState, type ReactElement } from 'react';
import { identityApi } from '../../api/identity-api';
import { Icon } from '../../components/icons';
import { timeAgo } from '../../components/meter';
import { plural } from '../../components/plural';
import { StatusChip } from '../../components/status-chip';
import { selectProjects, useIdentity } from '../../stores/identity';
import { toast } from '../../stores/ui';
import { useNamedAssignments } from './names';
import { NewNamedDialog } from './new-named-dialog';
import { ProjectPanel } from './project-panel';
import { PROJECT_NAME_MAX } from '../../../../main/api/contract/rules';

export function ProjectsTab(): ReactElement {
  const projects = useIdentity(selectProjects);
  const assignments = useNamedAssignments();
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const members = useMemo(() => {
    const m = new Map<string, typeof assignments>();
    for (const a of assignments) m.set(a.projectId, [...(m.get(a.projectId) ?? []), a]);
    return m;
  }, [assignments]);
  const project = projects.find((p) => p.id === selected);

  return (
    <div className="split">
      <div className="table-wrap">
        <div className="table-toolbar">
          <span className="count" style={{ marginLeft: 0 }}>{plural(projects.length, 'project')}</span>
          <button className="btn sm primary" style={{ marginLeft: 'auto' }} onClick={() => setCreating(true)}><Icon.plus /> New project</button>
        </div>
        <div className="scroll">
          <table className="simple-table selectable">
            <thead><tr><th>Name</th><th>State</th><th>Members</th><th>Created</th></tr></thead>
            <tbody>
              {projects.map((p) => (
                <tr key={p.id} className={p.id === selected ? 'selected' : ''} onClick={() => setSelected(p.id)} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && setSelected(p.id)} data-project={p.name}>
                  <td className="clip-cell"><b>{p.name}</b>{p.description && <div className="muted clip">{p.description}</div>}</td>
                  <td><StatusChip status={p.enabled ? 'ENABLED' : 'DISABLED'} /></td>
                  <td>{plural(new Set((members.get(p.id) ?? []).map((m) => m.userId)).size, 'user')}</td>
                  <td className="muted">{timeAgo(p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {project && <ProjectPanel key={project.id} project={project} members={members.get(project.id) ?? []} onClose={() => setSelected(null)} />}
      {creating && (
        <NewNamedDialog
          kind="project"
          nameMax={PROJECT_NAME_MAX}
          placeholder="web-team"
          hint="A project owns instances, images and networks, and has its own quota. Members see only their projects."
          create={async (name, description) => {
            const p = await identityApi.projectCreate({ name, description });
            toast('success', `Project ${p.name} created`, 'Add members and set its quota.');
            return p.id;
          }}
          onClose={() => setCreating(false)}
          onCreated={(id) => { setCreating(false); setSelected(id); }}
        />
      )}
    </div>
  );
}
