import { useMemo, type ReactElement } from 'react';
import { Icon } from '../components/icons';
import { StatusChip } from '../components/status-chip';
import { selectHosts, selectImages, selectQuota, selectServers, selectTasks, useData } from '../stores/data';
import { selectIsAdmin, selectSession, useSession } from '../stores/session';
import { QuotaUsage } from '../components/quota-usage';
import { navigate, useUi } from '../stores/ui';
import { TaskRow } from '../components/tasks-panel';
import { HostCard } from './host-card';

export function OverviewPage(): ReactElement {
  const servers = useData(selectServers);
  const hosts = useData(selectHosts);
  const images = useData(selectImages);
  const tasks = useData(selectTasks);
  const isAdmin = useSession(selectIsAdmin);
  const session = useSession(selectSession);
  const quota = useData(selectQuota);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const s of Object.values(servers)) c[s.status] = (c[s.status] ?? 0) + 1;
    return Object.entries(c).sort((a, b) => b[1] - a[1]);
  }, [servers]);
  const taskList = useMemo(() => Object.values(tasks).sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [tasks]);
  const running = taskList.filter((t) => t.state === 'running' || t.state === 'queued').slice(0, 6);
  const failures = taskList.filter((t) => t.state === 'failed').slice(0, 5);
  const errorServers = useMemo(() => Object.values(servers).filter((s) => s.status === 'ERROR').sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 5), [servers]);
  const total = Object.keys(servers).length;
  const emptyCloud = (isAdmin && hosts.length === 0) || total === 0;

  return (
    <div className="page">
      <div className="page-head">
        <h1>Overview</h1>
        <div className="actions">
          <button className="btn primary" onClick={() => useUi.setState({ launchOpen: true })}><Icon.plus /> Launch instance</button>
        </div>
      </div>

      <div className="grid cols-4">
        <div className="card stat"><div className="label">Instances</div><div className="value">{total}</div></div>
        <div className="card stat"><div className="label">Running</div><div className="value">{counts.find(([s]) => s === 'ACTIVE')?.[1] ?? 0}</div></div>
        <div className="card stat"><div className="label">Hosts up</div><div className="value">{isAdmin ? `${hosts.filter((h) => h.state === 'up').length}/${hosts.length}` : '—'}</div></div>
        <div className="card stat"><div className="label">Images</div><div className="value">{images.length}</div></div>
      </div>

      {emptyCloud && (
        <div className="card">
          <div className="card-head"><h2>Next steps</h2></div>
          <div className="card-body next-steps">
            {isAdmin && hosts.length === 0 && (
              <button className="choice" onClick={() => navigate('hosts')}><Icon.hosts /> <b>Add a host</b> <span className="muted">a Linux machine with KVM, reached over SSH</span><span className="meta"><Icon.chevron /></span></button>
            )}
            {images.length === 0 && (
              <button className="choice" onClick={() => navigate('images')}><Icon.images /> <b>Upload an image</b> <span className="muted">a qcow2 cloud image such as CirrOS or Ubuntu</span><span className="meta"><Icon.chevron /></span></button>
            )}
            <button className="choice" onClick={() => useUi.setState({ launchOpen: true })}><Icon.instances /> <b>Launch your first instance</b> <span className="muted">pick an image and a flavor; the scheduler finds a host</span><span className="meta"><Icon.chevron /></span></button>
          </div>
        </div>
      )}

      <div className="grid cols-2" style={{ alignItems: 'start' }}>
        <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
          <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
            <h2>Capacity</h2>
            <div className="legend" style={{ marginLeft: 'auto' }}><span><i className="dash" />physical</span><span><i className="stripe" />overcommitted</span><span><i className="end" />limit</span></div>
          </div>
          {!isAdmin ? <div className="card card-body muted">Host capacity is visible to admins.</div> : hosts.length === 0 ? <div className="card card-body muted">No hosts yet.</div> : hosts.map((h) => <HostCard key={h.id} host={h} />)}
        </div>
        <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
          {quota && (
            <div className="card">
              <div className="card-head"><h2>Quota</h2><span className="muted clip">of project {session?.projectName}</span></div>
              <div className="card-body"><QuotaUsage quota={quota} /></div>
            </div>
          )}
          <div className="card">
            <div className="card-head"><h2>Instances by status</h2></div>
            <div className="card-body status-grid">
              {counts.length === 0 ? <span className="muted">No instances.</span> : counts.map(([status, n]) => (
                <button key={status} className="choice" style={{ width: 'auto' }} onClick={() => navigate('instances')}>
                  <StatusChip status={status} /> <b>{n}</b>
                </button>
              ))}
            </div>
          </div>
          <div className="card">
            <div className="card-head"><h2>Running tasks</h2><span className="muted">{running.length}</span></div>
            {running.length === 0 ? <div className="card-body muted">Nothing running.</div> : running.map((t) => <TaskRow key={t.id} task={t} />)}
          </div>
          <div className="card">
            <div className="card-head"><h2>Recent failures</h2></div>
            {failures.length === 0 && errorServers.length === 0 ? (
              <div className="card-body muted">No failures.</div>
            ) : (
              <div className="card-body" style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
                {errorServers.map((s) => (
                  <button key={s.id} className="choice" onClick={() => { navigate('instances'); useUi.setState({ selectedServerId: s.id }); }}>
                    <StatusChip status="ERROR" /> <b>{s.name}</b> <span className="fault" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{s.fault?.message}</span>
                  </button>
                ))}
                {failures.map((t) => (
                  <div key={t.id} className="callout red"><b>{t.title}</b>&nbsp;{t.error?.message}</div>
                ))}
              </div>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
