import { useMemo, useRef, useState, type ReactElement } from 'react';
import { selectImages, selectServers, useData } from '../stores/data';
import { navigate, useUi } from '../stores/ui';
import { Icon } from './icons';
import { plural } from './plural';
import { StatusChip } from './status-chip';

const MAX_INSTANCES = 8;
const MAX_IMAGES = 4;

interface Hit {
  kind: 'Instance' | 'Image' | 'More';
  id: string;
  name: string;
  status: string;
  extra: string;
}

/** Finds instances (by name, id or address) and images (by name or id) as you type. */
export function GlobalSearch(): ReactElement {
  const servers = useData(selectServers);
  const images = useData(selectImages);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [hl, setHl] = useState(0);
  const input = useRef<HTMLInputElement>(null);

  // Shows the first matches of each kind, and a row leading to every matching instance when there are more.
  const hits = useMemo<Hit[]>(() => {
    const needle = q.trim().toLowerCase();
    if (!needle) return [];
    const out: Hit[] = [];
    let instances = 0;
    for (const s of Object.values(servers)) {
      if (s.name.toLowerCase().includes(needle) || s.id.startsWith(needle) || s.addresses.some((a) => a.addr.startsWith(needle))) {
        if (++instances <= MAX_INSTANCES) out.push({ kind: 'Instance', id: s.id, name: s.name, status: s.status, extra: s.addresses[0]?.addr ?? '' });
      }
    }
    if (instances > MAX_INSTANCES) out.push({ kind: 'More', id: 'more', name: `Show all ${plural(instances, 'matching instance')}`, status: '', extra: '' });
    let imageHits = 0;
    for (const i of images) {
      if (!(i.name.toLowerCase().includes(needle) || i.id.startsWith(needle))) continue;
      if (++imageHits <= MAX_IMAGES) out.push({ kind: 'Image', id: i.id, name: i.name, status: i.status, extra: i.diskFormat ?? '' });
    }
    if (imageHits > MAX_IMAGES) out.push({ kind: 'More', id: 'more-images', name: `Show all ${plural(imageHits, 'image')}`, status: '', extra: '' });
    return out;
  }, [q, servers, images]);

  const go = (h: Hit) => {
    if (h.kind === 'Instance') {
      navigate('instances');
      useUi.setState({ selectedServerId: h.id });
    } else if (h.id === 'more') {
      navigate('instances');
      useUi.setState({ instanceFilter: q.trim() });
    } else navigate('images');
    setQ('');
    setOpen(false);
    input.current?.blur();
  };

  return (
    <div className="search" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}>
      <Icon.search />
      <input
        ref={input}
        placeholder="Search instances and images…"
        aria-label="Search instances and images"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
          setHl(0);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setHl((h) => Math.min(h + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setHl((h) => Math.max(h - 1, 0));
          else if (e.key === 'Enter' && hits[hl]) go(hits[hl]);
          else if (e.key === 'Escape') {
            setQ('');
            setOpen(false);
          }
        }}
      />
      {open && q.trim() && (
        <div className="search-results" role="listbox">
          {hits.length === 0 ? (
            <div className="muted" style={{ padding: 10 }}>Nothing matches “{q}”.</div>
          ) : (
            hits.map((h, i) => (
              <button key={h.kind + h.id} className={`${i === hl ? 'hl' : ''}${h.kind === 'More' ? ' more' : ''}`} role="option" aria-selected={i === hl} onMouseDown={(e) => e.preventDefault()} onClick={() => go(h)}>
                {h.kind === 'More' ? (
                  <>{h.name} <Icon.chevron /></>
                ) : (
                  <>
                    <span className="kind">{h.kind}</span>
                    <span className="clip" style={{ fontWeight: 550 }}>{h.name || h.id}</span>
                    <span className="muted mono">{h.extra}</span>
                    <span style={{ marginLeft: 'auto' }}>
                      <StatusChip status={h.status} />
                    </span>
                  </>
                )}
              </button>
            ))
          )}
        </div>
      )}
    </div>
  );
}
