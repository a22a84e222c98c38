import type { ReactElement } from 'react';
import { Icon } from '../components/icons';
import { GlobalSearch } from '../components/global-search';
import { ProjectSwitcher } from '../components/project-switcher';
import { TasksIndicator } from '../components/tasks-panel';
import { ComingSoon } from '../pages/coming-soon';
import { OverviewPage } from '../pages/overview';
import { InstancesPage } from '../pages/instances';
import { ImagesPage } from '../pages/images';
import { FlavorsPage } from '../pages/flavors';
import { KeypairsPage } from '../pages/keypairs';
import { HostsPage } from '../pages/hosts';
import { NetworksPage } from '../pages/networks';
import { ActivityPage } from '../pages/activity';
import { IdentityPage } from '../pages/identity/identity-page';
import { LaunchWizard } from '../pages/launch/launch-wizard';
import { signOut } from '../stores/sync';
import { navigate, setTheme, useUi, type Route } from '../stores/ui';
import { resolvedTheme } from './theme';

interface NavItem {
  route: Route;
  label: string;
  icon: () => ReactElement;
  soon?: boolean;
}

// In the order a cloud is built and used.
const NAV: Array<{ section?: string; items: NavItem[] }> = [
  { items: [{ route: 'overview', label: 'Overview', icon: Icon.overview }] },
  {
    section: 'Compute',
    items: [
      { route: 'instances', label: 'Instances', icon: Icon.instances },
      { route: 'images', label: 'Images', icon: Icon.images },
      { route: 'flavors', label: 'Flavors', icon: Icon.flavors },
      { route: 'keypairs', label: 'Key pairs', icon: Icon.keypairs },
    ],
  },
  {
    section: 'Storage & network',
    items: [
      { route: 'volumes', label: 'Volumes', icon: Icon.volumes, soon: true },
      { route: 'networks', label: 'Networks', icon: Icon.networks },
      { route: 'object-storage', label: 'Object Storage', icon: Icon.objects, soon: true },
      { route: 'stacks', label: 'Stacks', icon: Icon.stacks, soon: true },
    ],
  },
  {
    section: 'Cloud',
    items: [
      { route: 'hosts', label: 'Hosts', icon: Icon.hosts },
      { route: 'identity', label: 'Identity', icon: Icon.identity },
      { route: 'activity', label: 'Activity', icon: Icon.activity },
    ],
  },
];

function Page({ route }: { route: Route }): ReactElement {
  switch (route) {
    case 'overview':
      return <OverviewPage />;
    case 'instances':
      return <InstancesPage />;
    case 'images':
      return <ImagesPage />;
    case 'flavors':
      return <FlavorsPage />;
    case 'keypairs':
      return <KeypairsPage />;
    case 'hosts':
      return <HostsPage />;
    case 'networks':
      return <NetworksPage />;
    case 'activity':
      return <ActivityPage />;
    case 'volumes':
      return <ComingSoon title="Volumes" what="Block storage (Cinder): create volumes, attach them to instances and snapshot them." />;
    case 'object-storage':
      return <ComingSoon title="Object Storage" what="Swift-compatible containers and objects, served from this control plane." />;
    case 'stacks':
      return <ComingSoon title="Stacks" what="Heat templates: describe servers, networks and volumes together and create them in one go." />;
    case 'identity':
      return <IdentityPage />;
  }
}

export function Shell(): ReactElement {
  const route = useUi((s) => s.route);
  const launchOpen = useUi((s) => s.launchOpen);
  useUi((s) => s.theme);
  const dark = resolvedTheme() === 'dark';

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <div className="brand-mark">D</div> DeskStack
        </div>
        {NAV.map((group, gi) => (
          <div key={gi}>
            {group.section && <div className="nav-section">{group.section}</div>}
            {group.items.map((item) => (
              <button key={item.route} className={`nav-item${route === item.route ? ' active' : ''}`} aria-current={route === item.route ? 'page' : undefined} onClick={() => navigate(item.route)}>
                <item.icon /> {item.label}
                {item.soon && <span className="soon">soon</span>}
              </button>
            ))}
          </div>
        ))}
        <div className="sidebar-foot">
          <button className="nav-item" onClick={() => setTheme(dark ? 'light' : 'dark')} aria-label={`Switch to ${dark ? 'light' : 'dark'} theme`}>
            {dark ? <Icon.sun /> : <Icon.moon />} {dark ? 'Light theme' : 'Dark theme'}
          </button>
          <button className="nav-item" onClick={() => void signOut()}>
            <Icon.logout /> Sign out
          </button>
        </div>
      </nav>
      <header className="topbar">
        <ProjectSwitcher />
        <GlobalSearch />
        <div className="topbar-right">
          <TasksIndicator />
        </div>
      </header>
      <main className="main">
        <Page route={route} />
      </main>
      {launchOpen && <LaunchWizard onClose={() => useUi.setState({ launchOpen: false })} />}
    </div>
  );
}
