import type { ReactElement } from 'react';
import type { QuotaView } from '../../../main/api/contract/index';
import { formatRam } from './meter';

const ROWS: Array<{ key: 'instances' | 'cores' | 'ram'; label: string; fmt: (n: number) => string }> = [
  { key: 'instances', label: 'Instances', fmt: String },
  { key: 'cores', label: 'vCPUs', fmt: String },
  { key: 'ram', label: 'RAM', fmt: formatRam },
];

/** A project's compute quota as small bars: used of limit, amber near the limit, red at it. */
export function QuotaUsage({ quota, compact }: { quota: QuotaView; compact?: boolean }): ReactElement {
  return (
    <div className={`quota-usage${compact ? ' compact' : ''}`} aria-label="Project quota">
      {ROWS.map(({ key, label, fmt }) => {
        const limit = quota.limits[key];
        const used = quota.usage[key];
        const unlimited = limit < 0;
        const pct = unlimited ? 0 : limit === 0 ? 100 : Math.min(100, (used / limit) * 100);
        const tone = unlimited ? '' : used >= limit ? ' full' : pct >= 80 ? ' near' : '';
        return (
          <div key={key} className={`quota-row${tone}`} data-quota={key}>
            <span className="q-label">{label}</span>
            <div className="q-bar" role="meter" aria-label={`${label} quota used`} aria-valuemin={0} aria-valuemax={unlimited ? undefined : limit} aria-valuenow={used}>
              <div className="q-fill" style={{ width: `${pct}%` }} />
            </div>
            <span className="q-num">{unlimited ? `${fmt(used)} · no limit` : `${fmt(used)} of ${fmt(limit)}`}</span>
          </div>
        );
      })}
    </div>
  );
}
