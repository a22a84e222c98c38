import { useMemo, useState, type ReactElement } from 'react';
import { Icon } from '../components/icons';
import { StatusChip } from '../components/status-chip';
import { selectHosts, selectServers, useData } from '../stores/data';
import { selectIsAdmin, useSession } from '../stores/session';
import { navigate, useUi } from '../stores/ui';
import { HostCard } from './host-card';
import { AddHostWizard } from './hosts/add-host-wizard';
import { HostActions } from './hosts/host-actions';
import { plural } from '../components/plural';

export function HostsPage(): ReactElement {
  const hosts = useData(selectHosts);
  const servers = useData(selectServers);
  const isAdmin = useSession(selectIsAdmin);
  // null: closed; '' a new host; an id: resume that host's setup.
  const [wizard, setWizard] = useState<string | null>(null);
  const byHost = useMemo(() => {
    const m = new Map<string, Array<{ id: string; name: string; status: string }>>();
    for (const s of Object.values(servers)) {
      if (!s.hostId) continue;
      const list = m.get(s.hostId) ?? [];
      list.push({ id: s.id, name: s.name, status: s.status });
      m.set(s.hostId, list);
    }
    return m;
  }, [servers]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>Hosts</h1>
        <span className="sub">{plural(hosts.length, 'compute host')}</span>
        {isAdmin && (
          <div className="actions">
            <button className="btn primary" onClick={() => setWizard('')}><Icon.plus /> Add host</button>
          </div>
        )}
      </div>
      {wizard !== null && <AddHostWizard key={wizard} resumeHostId={wizard || undefined} onClose={() => setWizard(null)} />}
      {!isAdmin ? (
        <div className="card"><div className="empty"><Icon.hosts /><h2>Admins only</h2><p>Sign in to the admin project to see and manage hosts.</p></div></div>
      ) : hosts.length === 0 ? (
        <div className="card">
          <div className="empty">
            <Icon.hosts />
            <h2>No hosts yet</h2>
            <p style={{ maxWidth: 480 }}>Add a Linux machine with KVM (Debian 12/13 or Ubuntu 22.04/24.04) over SSH, or this computer. DeskStack checks it first, then installs what it needs with a live log.</p>
            <button className="btn primary" onClick={() => setWizard('')}><Icon.plus /> Add host</button>
          </div>
        </div>
      ) : (
        <div className="grid cols-2" style={{ alignItems: 'start' }}>
          {hosts.map((h) => {
            const list = byHost.get(h.id) ?? [];
            return (
              <HostCard key={h.id} host={h}>
                <>
                <HostActions host={h} onResume={() => setWizard(h.id)} />
                {list.length ? (
                  <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }}>
                    {list.slice(0, 24).map((s) => (
                      <button key={s.id} className="btn sm" onClick={() => { navigate('instances'); useUi.setState({ selectedServerId: s.id }); }}>
                        {s.name} <StatusChip status={s.status} />
                      </button>
                    ))}
                    {list.length > 24 && <span className="muted">+{list.length - 24} more</span>}
                  </div>
                ) : (
                  <span className="hint">No instances of this project here.</span>
                )}
                </>
              </HostCard>
            );
          })}
        </div>
      )}
    </div>
  );
}
