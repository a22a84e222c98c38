import type { ReactElement } from 'react';
import { StatusChip } from '../components/status-chip';
import { selectNetworks, useData } from '../stores/data';

export function NetworksPage(): ReactElement {
  const networks = useData(selectNetworks);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Networks</h1>
        <span className="sub">routers, floating IPs and the topology map come in a later release</span>
      </div>
      <div className="card">
        <table className="simple-table">
          <thead><tr><th>Name</th><th>Status</th><th>Subnet</th><th>Shared</th><th>External</th><th>MTU</th></tr></thead>
          <tbody>
            {networks.map((n) => (
              <tr key={n.id}>
                <td><b style={{ fontWeight: 550 }}>{n.name}</b><div className="mono muted" style={{ fontSize: 11 }}>{n.id}</div></td>
                <td><StatusChip status={n.status} /></td>
                <td className="mono">{n.cidr ?? '—'}</td>
                <td>{n.shared ? 'yes' : 'no'}</td>
                <td>{n.external ? 'yes' : 'no'}</td>
                <td>{n.mtu}</td>
              </tr>
            ))}
            {networks.length === 0 && <tr><td colSpan={6} className="muted">No networks.</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
