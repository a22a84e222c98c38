import type { ReactElement } from 'react';
import { Icon } from '../components/icons';

/** A section that exists in the map but not yet in this release: says so plainly. */
export function ComingSoon({ title, what }: { title: string; what: string }): ReactElement {
  return (
    <div className="page">
      <div className="page-head">
        <h1>{title}</h1>
      </div>
      <div className="card">
        <div className="empty">
          <Icon.stacks />
          <h2>Coming in a later release</h2>
          <p style={{ maxWidth: 460 }}>{what}</p>
        </div>
      </div>
    </div>
  );
}
