import type { ReactElement } from 'react';
import { formatRam } from '../components/meter';
import { selectFlavors, useData } from '../stores/data';

export function FlavorsPage(): ReactElement {
  const flavors = useData(selectFlavors);
  const sorted = [...flavors].sort((a, b) => a.vcpus - b.vcpus || a.ramMb - b.ramMb);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Flavors</h1>
        <span className="sub">the sizes an instance can have</span>
      </div>
      <div className="card">
        <table className="simple-table">
          <thead>
            <tr><th>Name</th><th>vCPU</th><th>RAM</th><th>Root disk</th><th>Visibility</th><th>ID</th></tr>
          </thead>
          <tbody>
            {sorted.map((f) => (
              <tr key={f.id}>
                <td><b style={{ fontWeight: 550 }}>{f.name}</b>{f.description && <div className="hint">{f.description}</div>}</td>
                <td>{f.vcpus}</td>
                <td>{formatRam(f.ramMb)}</td>
                <td>{f.diskGb} GB</td>
                <td>{f.isPublic ? 'public' : 'private'}</td>
                <td className="mono muted">{f.id}</td>
              </tr>
            ))}
            {sorted.length === 0 && <tr><td colSpan={6} className="muted">No flavors.</td></tr>}
          </tbody>
        </table>
      </div>
    </div>
  );
}
