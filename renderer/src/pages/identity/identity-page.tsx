import { useState, type ReactElement } from 'react';
import { QuotaUsage } from '../../components/quota-usage';
import { selectMyProjects, selectQuota, useData } from '../../stores/data';
import { useIdentity } from '../../stores/identity';
import { selectIsAdmin, selectSession, useSession } from '../../stores/session';
import { ProjectsTab } from './projects-tab';
import { RolesTab } from './roles-tab';
import { UsersTab } from './users-tab';

// Groups and application credentials slot in here as further tabs.
const TABS = [
  { id: 'projects', label: 'Projects', body: ProjectsTab },
  { id: 'users', label: 'Users', body: UsersTab },
  { id: 'roles', label: 'Roles', body: RolesTab },
] as const;

type TabId = (typeof TABS)[number]['id'];

/** What a project member sees: where they belong, and their project's quota. */
function MyAccess(): ReactElement {
  const session = useSession(selectSession);
  const projects = useData(selectMyProjects);
  const quota = useData(selectQuota);
  return (
    <div className="grid cols-2" style={{ alignItems: 'start' }}>
      <div className="card">
        <div className="card-head"><h2>You</h2></div>
        <div className="card-body">
          <dl className="kv">
            <dt>User</dt><dd>{session?.userName}</dd>
            <dt>Project</dt><dd>{session?.projectName} <span className="muted">({session?.roles.join(', ')})</span></dd>
            <dt>Your projects</dt><dd>{projects.map((p) => p.name).join(', ') || '—'}</dd>
          </dl>
          <p className="hint" style={{ marginTop: 12 }}>Only admins manage projects, users and quotas. Switch projects from the top bar.</p>
        </div>
      </div>
      <div className="card">
        <div className="card-head"><h2>Quota of {session?.projectName}</h2></div>
        <div className="card-body">{quota ? <QuotaUsage quota={quota} /> : <span className="spinner" />}</div>
      </div>
    </div>
  );
}

/** Projects, users, roles and quotas (Keystone and Nova's quotas), for admins; members see their own access. */
export function IdentityPage(): ReactElement {
  const isAdmin = useSession(selectIsAdmin);
  const loaded = useIdentity((s) => s.loaded);
  const [tab, setTab] = useState<TabId>('projects');
  const Body = TABS.find((t) => t.id === tab)!.body;
  return (
    <div className="page" style={{ overflow: isAdmin ? 'hidden' : undefined }}>
      <div className="page-head">
        <h1>Identity</h1>
        <span className="sub">who may use the cloud, where, and how much</span>
      </div>
      {!isAdmin ? (
        <MyAccess />
      ) : (
        <>
          <div className="tabs page-tabs" role="tablist" aria-label="Identity">
            {TABS.map((t) => (
              <button key={t.id} role="tab" aria-selected={tab === t.id} className={`tab${tab === t.id ? ' active' : ''}`} onClick={() => setTab(t.id)}>{t.label}</button>
            ))}
          </div>
          {loaded ? <Body /> : <div className="empty"><span className="spinner" /></div>}
        </>
      )}
    </div>
  );
}
