import { useMemo, useState, type ReactElement } from 'react';
import type { ServerView } from '../../../main/api/contract/index';
import { Icon } from '../components/icons';
import { timeAgo } from '../components/meter';
import { plural } from '../components/plural';
import { StatusChip } from '../components/status-chip';
import { VirtualTable, type Column } from '../components/virtual-table';
import { selectQuota, selectServers, useData } from '../stores/data';
import { useUi } from '../stores/ui';
import { BulkActions } from './instance-bulk';
import { InstanceDetail, type DetailTab } from './instance-detail';

const addrText = (s: ServerView) => s.addresses.map((a) => a.addr).join(', ');

const COMPACT = new Set(['name', 'status', 'host', 'addresses']);
// Beside a live console only what identifies a row is left.
const NARROW = new Set(['name', 'status']);

const COLUMNS: Column<ServerView>[] = [
  {
    key: 'name',
    label: 'Name',
    width: 'minmax(160px, 2fr)',
    sortValue: (s) => s.name,
    render: (s) => (
      <span>
        <span style={{ fontWeight: 550 }}>{s.name}</span>
        {s.status === 'ERROR' && s.fault && <div className="fault" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }} title={s.fault.message}>{s.fault.message}</div>}
      </span>
    ),
  },
  { key: 'status', label: 'Status', width: '150px', sortValue: (s) => s.status, render: (s) => <StatusChip status={s.status} task={s.taskState} /> },
  { key: 'host', label: 'Host', width: 'minmax(90px, 1fr)', sortValue: (s) => s.hostName ?? '', render: (s) => s.hostName ?? <span className="muted">—</span> },
  { key: 'flavor', label: 'Flavor', width: '100px', sortValue: (s) => s.flavorName, render: (s) => s.flavorName },
  { key: 'image', label: 'Image', width: 'minmax(90px, 1fr)', sortValue: (s) => s.imageName ?? '', render: (s) => s.imageName ?? <span className="muted">{s.imageId.slice(0, 8)}</span> },
  { key: 'addresses', label: 'Addresses', width: 'minmax(110px, 1.2fr)', sortValue: addrText, render: (s) => <span className="mono">{addrText(s) || '—'}</span> },
  { key: 'created', label: 'Created', width: '90px', sortValue: (s) => s.createdAt, render: (s) => <span className="muted" title={s.createdAt}>{timeAgo(s.createdAt)}</span> },
];

export function InstancesPage(): ReactElement {
  const servers = useData(selectServers);
  const loaded = useData((s) => s.loaded);
  const selected = useUi((s) => s.selectedServerId);
  const filter = useUi((s) => s.instanceFilter);
  const setFilter = (instanceFilter: string) => useUi.setState({ instanceFilter });
  const quota = useData(selectQuota);
  const [tab, setTab] = useState<DetailTab>('overview');
  const [picked, setPicked] = useState<Set<string>>(new Set());

  const rows = useMemo(() => {
    const all = Object.values(servers);
    const f = filter.trim().toLowerCase();
    if (!f) return all;
    return all.filter(
      (s) =>
        s.name.toLowerCase().includes(f) ||
        s.status.toLowerCase().includes(f) ||
        (s.hostName ?? '').toLowerCase().includes(f) ||
        s.flavorName.toLowerCase().includes(f) ||
        (s.imageName ?? '').toLowerCase().includes(f) ||
        s.id.startsWith(f) ||
        s.addresses.some((a) => a.addr.startsWith(f)),
    );
  }, [servers, filter]);
  const total = Object.keys(servers).length;
  // With the detail panel open the table keeps only the columns that identify a row.
  const columns = useMemo(() => (selected ? COLUMNS.filter((c) => (tab === 'console' ? NARROW : COMPACT).has(c.key)) : COLUMNS), [selected, tab]);
  // Selected rows that still exist (deleted ones drop out as their events arrive).
  const pickedServers = useMemo(() => [...picked].map((id) => servers[id]).filter((s): s is ServerView => Boolean(s)), [picked, servers]);
  const quotaNote = quota && quota.limits.instances >= 0 ? ` · quota ${quota.limits.instances}` : '';
  const openLaunch = () => useUi.setState({ launchOpen: true });

  return (
    <div className="page" style={{ overflow: 'hidden' }}>
      <div className="page-head">
        <h1>Instances</h1>
        <span className="sub">{plural(total, 'instance')} in this project{quotaNote}</span>
        <div className="actions">
          <button className="btn primary" onClick={openLaunch}>
            <Icon.plus /> Launch instance
          </button>
        </div>
      </div>
      <div className="split">
        <div className="table-wrap">
          <div className="table-toolbar">
            <input placeholder="Filter by name, status, host, address…" aria-label="Filter instances" value={filter} onChange={(e) => setFilter(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setFilter('')} />
            <span className="count">{rows.length === total ? plural(total, 'instance') : `${rows.length} of ${total}`}</span>
          </div>
          {pickedServers.length > 0 && <BulkActions selected={pickedServers} onClear={() => setPicked(new Set())} />}
          <VirtualTable
            label="Instances"
            rows={rows}
            columns={columns}
            rowKey={(s) => s.id}
            selectedKey={selected}
            initialSort={{ key: 'created', dir: 'desc' }}
            onOpen={(s) => useUi.setState({ selectedServerId: s.id })}
            selection={{ keys: picked, onChange: setPicked }}
            rowName={(s) => s.name}
            empty={
              !loaded ? (
                <div className="empty"><span className="spinner" /></div>
              ) : total === 0 ? (
                <div className="empty">
                  <Icon.instances />
                  <h2>No instances yet</h2>
                  <p>Launch one from an image and a flavor; it boots on the host with the most room.</p>
                  <button className="btn primary" onClick={openLaunch}><Icon.plus /> Launch instance</button>
                </div>
              ) : (
                <div className="empty">Nothing matches “{filter}”.</div>
              )
            }
          />
        </div>
        {selected && <InstanceDetail id={selected} tab={tab} onTab={setTab} onClose={() => useUi.setState({ selectedServerId: null })} />}
      </div>
    </div>
  );
}
