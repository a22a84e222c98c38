import { useEffect, useRef, useState, type ReactElement } from 'react';
import { asClientError } from '../api/client';
import { selectMyProjects, useData } from '../stores/data';
import { selectSession, useSession } from '../stores/session';
import { switchProject } from '../stores/sync';
import { toast } from '../stores/ui';
import { Icon } from './icons';

/** The top bar's project: who is signed in where, and (with several projects) a menu to switch. */
export function ProjectSwitcher(): ReactElement {
  const session = useSession(selectSession);
  const projects = useData(selectMyProjects);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const several = projects.length > 1;

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    const onDown = (e: MouseEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    box.current?.querySelector<HTMLElement>('[aria-checked="true"], [role="menuitemradio"]')?.focus();
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open]);

  async function pick(id: string, name: string): Promise<void> {
    if (id === session?.projectId) return setOpen(false);
    setBusy(id);
    try {
      await switchProject(id);
      setOpen(false);
      toast('info', `Now in project ${name}`);
    } catch (err) {
      toast('error', `Could not switch to ${name}`, asClientError(err).message);
    } finally {
      setBusy(null);
    }
  }

  const label = (
    <>
      <span className="dot" /> <span className="clip">{session?.projectName ?? '—'}</span>
      <span className="muted clip" style={{ fontWeight: 400 }}>· {session?.userName}</span>
    </>
  );
  if (!several) {
    return <div className="project-pill" title={`Signed in as ${session?.userName ?? ''} in project ${session?.projectName ?? ''}`}>{label}</div>;
  }
  return (
    <div className="project-switcher" ref={box}>
      <button className="project-pill" aria-haspopup="menu" aria-expanded={open} aria-label={`Project ${session?.projectName ?? ''}: switch project`} onClick={() => setOpen(!open)}>
        {label}
        <Icon.down />
      </button>
      {open && (
        <div className="menu" role="menu" aria-label="Switch project">
          <div className="menu-head">Switch project</div>
          {projects.map((p) => (
            <button key={p.id} role="menuitemradio" aria-checked={p.id === session?.projectId} className="menu-item" disabled={busy !== null} onClick={() => void pick(p.id, p.name)}>
              <span className="check">{p.id === session?.projectId ? <Icon.check /> : busy === p.id ? <span className="spinner" /> : null}</span>
              <span className="clip">{p.name}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
