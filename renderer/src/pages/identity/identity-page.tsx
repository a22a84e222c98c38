import { useState, type ReactElement } from 'react';
import { QuotaUsage } from '../../components/quota-usage';
import { selectMyProjects, selectQuota, useData } from '../../stores/data';
import { useIdentity } from '../../stores/identity';
import { selectIsAdmin, selectSession, useSession } from '../../stores/session';
import { AppCredentialsTab } from './app-credentials-tab';
import { GroupsTab } from './groups-tab';
import { ProjectsTab } from './projects-tab';
import { RolesTab } from './roles-tab';
import { UsersTab } from './users-tab';

interface Tab {
  id: string;
  label: string;
  body: () => ReactElement;
  /** Shows only once the admin's identity store has loaded. */
  needsIdentity: boolean;
}

const APP_CREDENTIALS: Tab = { id: 'app-credentials', label: 'Application credentials', body: AppCredentialsTab, needsIdentity: false };
const ADMIN_TABS: Tab[] = [
  { id: 'projects', label: 'Projects', body: ProjectsTab, needsIdentity: true },
  { id: 'users', label: 'Users', body: UsersTab, needsIdentity: true },
  { id: 'groups', label: 'Groups', body: GroupsTab, needsIdentity: true },
  { id: 'roles', label: 'Roles', body: RolesTab, needsIdentity: true },
  APP_CREDENTIALS,
];
const MEMBER_TABS: Tab[] = [{ id: 'access', label: 'Your access', body: MyAccess, needsIdentity: false }, APP_CREDENTIALS];

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

/** Projects, users, groups, roles and quotas (Keystone and Nova's quotas) for admins; members see their own access; everyone manages their application credentials. */
export function IdentityPage(): ReactElement {
  const isAdmin = useSession(selectIsAdmin);
  const loaded = useIdentity((s) => s.loaded);
  const tabs = isAdmin ? ADMIN_TABS : MEMBER_TABS;
  const [tabId, setTab] = useState(tabs[0].id);
  const tab = tabs.find((t) => t.id === tabId) ?? tabs[0];
  const Body = tab.body;
  return (
    <div className="page" style={{ overflow: 'hidden' }}>
      <div className="page-head">
        <h1>Identity</h1>
        <span className="sub">who may use the cloud, where, and how much</span>
      </div>
      <div className="tabs page-tabs" role="tablist" aria-label="Identity">
        {tabs.map((t) => (
          <button key={t.id} role="tab" aria-selected={tab.id === t.id} className={`tab${tab.id === t.id ? ' active' : ''}`} onClick={() => setTab(t.id)}>{t.label}</button>
        ))}
      </div>
      {loaded || !tab.needsIdentity ? <Body /> : <div className="empty"><span className="spinner" /></div>}
    </div>
  );
}
