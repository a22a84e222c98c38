import { useEffect, useState, type ReactElement } from 'react';
import type { ProjectView } from '../../../../main/api/contract/index';
import { identityApi } from '../../api/identity-api';
import { ConfirmDialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { plural } from '../../components/plural';
import { useBusy } from '../../components/use-busy';
import { selectProjectQuota, useIdentity } from '../../stores/identity';
import { openProjectQuota } from '../../stores/identity-sync';
import { selectSession, useSession } from '../../stores/session';
import { AssignmentList, AssignRoleForm } from './assign-form';
import type { NamedAssignment } from './names';
import { PanelHead } from './panel-head';
import { QuotaEditor } from './quota-editor';

/** One project: its name and state, its members and their roles, its quota, and deletion. */
export function ProjectPanel({ project, members, onClose }: { project: ProjectView; members: NamedAssignment[]; onClose: () => void }): ReactElement {
  const quota = useIdentity(selectProjectQuota(project.id));
  const session = useSession(selectSession);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, run] = useBusy();
  useEffect(() => void openProjectQuota(project.id), [project.id]);
  useEffect(() => {
    setName(project.name);
    setDescription(project.description);
  }, [project.name, project.description]);
  const current = session?.projectId === project.id;
  const edited = name.trim() !== project.name || description !== project.description;

  return (
    <aside className="detail" aria-label={`Project ${project.name}`}>
      <PanelHead name={project.name} enabled={project.enabled} onClose={onClose}>
          <button className="btn sm" disabled={busy || current} title={current ? 'You are signed in to this project' : undefined} onClick={() => void run(`Could not ${project.enabled ? 'disable' : 'enable'} ${project.name}`, () => identityApi.projectUpdate({ id: project.id, enabled: !project.enabled }))}>
            {project.enabled ? 'Disable' : 'Enable'}
          </button>
          <button className="btn sm danger" style={{ marginLeft: 'auto' }} disabled={current} title={current ? 'You are signed in to this project' : undefined} onClick={() => setConfirmDelete(true)}><Icon.trash /> Delete</button>
      </PanelHead>
      <div className="detail-body">
        <section className="panel-section">
          <h3>Details</h3>
          <label className="field"><span>Name</span><input name="projectName" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} /></label>
          <label className="field"><span>Description</span><input name="projectDescription" value={description} maxLength={255} onChange={(e) => setDescription(e.target.value)} /></label>
          {edited && (
            <div className="row-end">
              <button className="btn sm primary" disabled={busy || !name.trim()} onClick={() => void run(`Could not save ${project.name}`, () => identityApi.projectUpdate({ id: project.id, name: name.trim(), description }))}>Save</button>
            </div>
          )}
          <dl className="kv"><dt>ID</dt><dd className="mono">{project.id}</dd></dl>
        </section>
        <section className="panel-section">
          <h3>Members <span className="muted">{plural(new Set(members.map((m) => m.userId)).size, 'user')}</span></h3>
          <AssignmentList items={members} side="user" empty="Nobody holds a role here yet." />
          <AssignRoleForm projectId={project.id} />
        </section>
        <section className="panel-section">
          <h3>Quota</h3>
          {quota ? <QuotaEditor key={project.id} quota={quota} projectName={project.name} /> : <span className="spinner" />}
        </section>
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete project ${project.name}?`}
          confirmLabel="Delete project"
          busy={busy}
          body={
            <p>
              This deletes the project <b>{project.name}</b> and the roles its {plural(new Set(members.map((m) => m.userId)).size, 'member')} hold on it; they can no longer sign in to it.
              {quota && quota.usage.instances > 0 ? <> Its <b>{plural(quota.usage.instances, 'instance')}</b> are not deleted: delete them first if nobody needs them.</> : null} It cannot be undone.
            </p>
          }
          onClose={() => setConfirmDelete(false)}
          onConfirm={() => void run(`Could not delete ${project.name}`, () => identityApi.projectDelete(project.id)).then((ok) => ok && onClose())}
        />
      )}
    </aside>
  );
}
