import { useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import { Icon } from './icons';

// Open dialogs, innermost last: Escape belongs to the innermost one wherever focus is.
const open: number[] = [];
let seq = 0;

/**
 * A modal: Escape (from anywhere) or a click on the backdrop closes it, focus moves in on open and
 * back out on close, Tab stays inside. With `draft` set, closing that way first asks whether to discard it.
 */
export function Dialog(props: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  steps?: { at: number; of: number };
  /** What closing would throw away (e.g. "the instance you were setting up"); falsy when nothing would be lost. */
  draft?: string | false | null;
  /** Why discarding matters, after the question; by default "What you entered will be lost." */
  discardNote?: string;
}): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const [asking, setAsking] = useState(false);
  const requestClose = useRef<() => void>(() => {});
  requestClose.current = () => {
    if (asking) setAsking(false);
    else if (props.draft) setAsking(true);
    else props.onClose();
  };

  useEffect(() => {
    const id = ++seq;
    open.push(id);
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus], .dialog-body input, .dialog-body select, .dialog-body textarea, .dialog-foot .primary, .dialog-foot .solid');
    first?.focus();
    // Capture phase on window: the innermost dialog sees Escape before anything under it does.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || open[open.length - 1] !== id) return;
      e.stopPropagation();
      e.preventDefault();
      requestClose.current();
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      open.splice(open.indexOf(id), 1);
      prev?.focus?.();
    };
  }, []);

  useEffect(() => {
    if (asking) ref.current?.querySelector<HTMLElement>('.discard-bar [data-keep]')?.focus();
  }, [asking]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>('button:not(:disabled), input, select, textarea, [tabindex="0"]')];
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && requestClose.current()}>
      <div className={`dialog${props.wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={typeof props.title === 'string' ? props.title : undefined} ref={ref} onKeyDown={onKey}>
        <div className="dialog-head">
          <h2>{props.title}</h2>
          <button className="btn ghost icon-btn" style={{ marginLeft: 'auto' }} onClick={() => requestClose.current()} aria-label="Close">
            <Icon.close />
          </button>
        </div>
        {props.steps && (
          <div className="steps" aria-label={`Step ${props.steps.at + 1} of ${props.steps.of}`}>
            {Array.from({ length: props.steps.of }, (_, i) => (
              <div key={i} className={`step${i <= props.steps!.at ? ' on' : ''}`} />
            ))}
          </div>
        )}
        <div className="dialog-body">{props.children}</div>
        {asking ? (
          <div className="dialog-foot discard-bar" role="alertdialog" aria-label="Discard draft?">
            <span className="left"><Icon.warn /> Discard {props.draft}? {props.discardNote ?? 'What you entered will be lost.'}</span>
            <button className="btn" data-keep onClick={() => setAsking(false)}>Keep editing</button>
            <button className="btn danger solid" onClick={props.onClose}>Discard</button>
          </div>
        ) : (
          props.footer && <div className="dialog-foot">{props.footer}</div>
        )}
      </div>
    </div>
  );
}

/** Asks once before a destructive action and says what it will destroy. */
export function ConfirmDialog(props: { title: string; body: ReactNode; confirmLabel: string; busy?: boolean; onConfirm: () => void; onClose: () => void }): ReactElement {
  return (
    <Dialog
      title={props.title}
      onClose={props.onClose}
      footer={
        <>
          <button className="btn" onClick={props.onClose}>Cancel</button>
          <button className="btn danger solid" disabled={props.busy} onClick={props.onConfirm} data-autofocus>
            {props.busy ? <span className="spinner" /> : <Icon.trash />} {props.confirmLabel}
          </button>
        </>
      }
    >
      {props.body}
    </Dialog>
  );
}
