import type { ReactElement, ReactNode } from 'react';
import { Icon } from '../../components/icons';
import { StatusChip } from '../../components/status-chip';

/** The head of a project's, user's or group's panel: name, enabled state (where it has one), close, and a row of actions. */
export function PanelHead({ name, enabled, onClose, children }: { name: string; enabled?: boolean; onClose: () => void; children: ReactNode }): ReactElement {
  return (
    <div className="detail-head">
      <div className="row">
        <h2 className="clip">{name}</h2>
        {enabled !== undefined && <StatusChip status={enabled ? 'ENABLED' : 'DISABLED'} />}
        <button className="btn ghost icon-btn" style={{ marginLeft: 'auto' }} onClick={onClose} aria-label="Close details"><Icon.close /></button>
      </div>
      <div className="row">{children}</div>
    </div>
  );
}
