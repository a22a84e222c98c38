import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { Icon } from './icons';

export interface Column<T> {
  key: string;
  label: string;
  /** CSS grid track, e.g. '2fr' or '120px'. */
  width: string;
  render: (row: T) => ReactNode;
  /** Value to sort by; the column is not sortable without it. */
  sortValue?: (row: T) => string | number;
}

const ROW_H = 36;
const OVERSCAN = 8;
const CHECK_W = '28px';

/** Row selection for bulk actions: the selected keys, and what to do when they change. */
export interface Selection {
  keys: ReadonlySet<string>;
  onChange: (keys: Set<string>) => void;
}

/**
 * A dense table that renders only the rows in view, so 5,000 rows scroll smoothly.
 * Arrow keys move the selection; Enter opens it. With `selection`, a checkbox column picks rows for
 * bulk actions (shift-click picks a range; the header box picks every row shown, or none).
 */
export function VirtualTable<T>(props: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  selectedKey?: string | null;
  onOpen?: (row: T) => void;
  empty?: ReactNode;
  initialSort?: { key: string; dir: 'asc' | 'desc' };
  label: string;
  selection?: Selection;
  /** How a row is named to screen readers in its checkbox label. */
  rowName?: (row: T) => string;
}): ReactElement {
  const { columns, rowKey, selection } = props;
  const anchor = useRef<number | null>(null);
  const [sort, setSort] = useState(props.initialSort ?? null);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  const sorted = useMemo(() => {
    if (!sort) return props.rows;
    const col = columns.find((c) => c.key === sort.key);
    if (!col?.sortValue) return props.rows;
    const get = col.sortValue;
    const dir = sort.dir === 'asc' ? 1 : -1;
    return [...props.rows].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true })) * dir;
    });
  }, [props.rows, sort, columns]);

  const template = [...(selection ? [CHECK_W] : []), ...columns.map((c) => c.width)].join(' ');
  const picked = selection ? sorted.filter((r) => selection.keys.has(rowKey(r))).length : 0;
  const toggleAll = () => selection?.onChange(picked === sorted.length ? new Set() : new Set(sorted.map(rowKey)));
  const toggleRow = (index: number, shift: boolean) => {
    if (!selection) return;
    const next = new Set(selection.keys);
    const key = rowKey(sorted[index]);
    const on = !next.has(key);
    const from = shift && anchor.current !== null ? Math.min(anchor.current, index) : index;
    const to = shift && anchor.current !== null ? Math.max(anchor.current, index) : index;
    for (let i = from; i <= to; i++) {
      if (on) next.add(rowKey(sorted[i]));
      else next.delete(rowKey(sorted[i]));
    }
    anchor.current = index;
    selection.onChange(next);
  };
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(sorted.length, Math.ceil((scrollTop + height) / ROW_H) + OVERSCAN);
  const selectedIndex = props.selectedKey ? sorted.findIndex((r) => rowKey(r) === props.selectedKey) : -1;

  const toggleSort = (key: string) =>
    setSort((s) => (s?.key === key ? (s.dir === 'asc' ? { key, dir: 'desc' } : null) : { key, dir: 'asc' }));

  const move = useCallback(
    (delta: number) => {
      if (!sorted.length || !props.onOpen) return;
      const next = Math.max(0, Math.min(sorted.length - 1, (selectedIndex < 0 ? -1 : selectedIndex) + delta));
      props.onOpen(sorted[next]);
      const el = scroller.current;
      if (el) {
        const top = next * ROW_H;
        if (top < el.scrollTop) el.scrollTop = top;
        else if (top + ROW_H * 2 > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_H * 2 - el.clientHeight;
      }
    },
    [sorted, selectedIndex, props],
  );

  return (
    <div
      className="vtable"
      ref={scroller}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      tabIndex={0}
      role="grid"
      aria-label={props.label}
      aria-rowcount={sorted.length}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown') {
          e.preventDefault();
          move(1);
        } else if (e.key === 'ArrowUp') {
          e.preventDefault();
          move(-1);
        }
      }}
    >
      <div className="trow thead" style={{ gridTemplateColumns: template }} role="row">
        {selection && (
          <div role="columnheader" className="check-cell">
            <input type="checkbox" aria-label={`Select all ${sorted.length} shown`} checked={sorted.length > 0 && picked === sorted.length} ref={(el) => void (el && (el.indeterminate = picked > 0 && picked < sorted.length))} onChange={toggleAll} />
          </div>
        )}
        {columns.map((c) => (
          <div key={c.key} role="columnheader" aria-sort={sort?.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
            {c.sortValue ? (
              <button onClick={() => toggleSort(c.key)}>
                {c.label}
                {sort?.key === c.key ? (sort.dir === 'asc' ? <Icon.up /> : <Icon.down />) : null}
              </button>
            ) : (
              c.label
            )}
          </div>
        ))}
      </div>
      {sorted.length === 0 ? (
        props.empty
      ) : (
        <div className="tbody" style={{ height: sorted.length * ROW_H, position: 'relative' }}>
          {sorted.slice(first, last).map((row, i) => {
            const key = rowKey(row);
            return (
              <div
                key={key}
                role="row"
                data-key={key}
                className={`trow${key === props.selectedKey ? ' selected' : ''}${selection?.keys.has(key) ? ' picked' : ''}`}
                style={{ gridTemplateColumns: template, top: (first + i) * ROW_H }}
                onClick={() => props.onOpen?.(row)}
              >
                {selection && (
                  <div role="gridcell" className="check-cell" onClick={(e) => e.stopPropagation()}>
                    <input
                      type="checkbox"
                      aria-label={`Select ${props.rowName?.(row) ?? key}`}
                      checked={selection.keys.has(key)}
                      // React's change event for a checkbox comes from the click: it carries the shift key.
                      onChange={(e) => toggleRow(first + i, Boolean((e.nativeEvent as MouseEvent).shiftKey))}
                    />
                  </div>
                )}
                {columns.map((c) => (
                  <div key={c.key} role="gridcell">
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
