import type { ReactElement } from 'react';

/**
 * Used vs. total capacity. The dashed line marks the physical total; the bar runs on past it into
 * the overcommit zone (up to 2× physical, or the limit if lower), where the fill turns striped.
 */
export function Meter(props: { label: string; used: number; total: number; ratio: number; unit: string; color: string; format?: (n: number) => string }): ReactElement {
  const fmt = props.format ?? ((n: number) => String(Math.round(n)));
  const limit = props.total * props.ratio;
  const scale = Math.max(props.total * Math.min(Math.max(props.ratio, 1), 2), props.used, 1);
  const pct = Math.min(100, (props.used / scale) * 100);
  const physPct = Math.min(100, (props.total / scale) * 100);
  const over = props.used > props.total;
  return (
    <div className="meter" title={`${props.label}: ${fmt(props.used)} of ${fmt(props.total)} ${props.unit} used; with ×${props.ratio} overcommit the limit is ${fmt(limit)} ${props.unit}`}>
      <span className="m-label">{props.label}</span>
      <div className="bar" role="meter" aria-label={`${props.label} used`} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={props.used}>
        <div className={`fill${over ? ' over' : ''}`} style={{ width: `${pct}%`, background: props.color }} />
        {props.ratio > 1 && <div className="phys" style={{ left: `${physPct}%` }} />}
      </div>
      <span className="m-num">
        {fmt(props.used)} / {fmt(props.total)} {props.unit}
        {props.ratio !== 1 && <span className="muted"> · limit {fmt(limit)}</span>}
      </span>
    </div>
  );
}

export function Progress({ value, state }: { value: number; state?: string }): ReactElement {
  const cls = state === 'succeeded' ? ' done' : state === 'failed' || state === 'cancelled' || state === 'interrupted' ? ' failed' : '';
  return (
    <div className={`progress${cls}`} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value * 100)}>
      <div className="fill" style={{ width: `${Math.max(2, Math.round(value * 100))}%` }} />
    </div>
  );
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function formatRam(mb: number): string {
  return mb >= 1024 ? `${(mb / 1024).toFixed(mb % 1024 === 0 ? 0 : 1)} GB` : `${mb} MB`;
}

export function timeAgo(iso: string | null | undefined): string {
  if (!iso) return '—';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (s < 60) return `${Math.max(0, s)}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return new Date(iso).toLocaleDateString();
}
