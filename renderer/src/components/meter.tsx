import type { ReactElement } from 'react';

/**
 * Where a value sits on a capacity bar, in percent. The bar ends at the overcommit limit (or at the physical
 * total when there is no overcommit). Physical capacity takes at least half the bar, so a 16× vCPU ratio does
 * not squeeze it into a sliver: past it, the overcommit zone is drawn to its own, smaller scale.
 */
export function barPosition(v: number, total: number, limit: number): number {
  if (total <= 0) return v > 0 ? 100 : 0;
  if (limit <= total) return Math.min(100, (v / total) * 100);
  const physAt = Math.max(50, (total / limit) * 100);
  if (v <= total) return (v / total) * physAt;
  return Math.min(100, physAt + ((v - total) / (limit - total)) * (100 - physAt));
}

/**
 * Used vs. capacity: solid up to the physical total (the dashed line), striped beyond it where the
 * allocation ratio lets the host overcommit, up to the limit at the bar's end (or its marker, for a ratio below 1).
 */
export function Meter(props: { label: string; used: number; total: number; ratio: number; unit: string; color: string; format?: (n: number) => string }): ReactElement {
  const fmt = props.format ?? ((n: number) => String(Math.round(n)));
  const { used, total } = props;
  const limit = total * props.ratio;
  const pos = (v: number) => barPosition(v, total, limit);
  const solidTo = pos(Math.min(used, total));
  const over = used > total;
  const beyondLimit = used > limit;
  const unit = props.unit ? ` ${props.unit}` : '';
  return (
    <div
      className={`meter${beyondLimit ? ' beyond' : ''}${limit < total ? ' under' : ''}`}
      title={`${props.label}: ${fmt(used)}${unit} allocated of ${fmt(total)}${unit} physical; with ×${props.ratio} overcommit the limit is ${fmt(limit)}${unit}`}
    >
      <span className="m-label">{props.label}</span>
      <div className="bar" role="meter" aria-label={`${props.label} used`} aria-valuemin={0} aria-valuemax={limit} aria-valuenow={used}>
        <div className="fill" style={{ width: `${solidTo}%`, backgroundColor: props.color }} />
        {over && <div className="fill over" style={{ left: `${solidTo}%`, width: `${pos(used) - solidTo}%`, backgroundColor: props.color }} />}
        {limit > total && <div className="phys" style={{ left: `${pos(total)}%` }} title={`physical: ${fmt(total)}${unit}`} />}
        {limit < total && <div className="limit" style={{ left: `${pos(limit)}%` }} title={`limit: ${fmt(limit)}${unit}`} />}
      </div>
      <span className="m-num">
        <span className={beyondLimit ? 'error-text' : over ? 'warn-text' : undefined}>{fmt(used)}</span> / {fmt(total)}{unit}
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
