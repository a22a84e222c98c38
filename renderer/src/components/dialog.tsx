import { useEffect, useRef, type ReactElement, type ReactNode } from 'react';
import { Icon } from './icons';

/** A modal: Escape closes it, focus moves in on open and back out on close, Tab stays inside. */
export function Dialog(props: { title: ReactNode; onClose: () => void; children: ReactNode; footer?: ReactNode; wide?: boolean; steps?: { at: number; of: number }; labelledBy?: string }): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('[data-autofocus], .dialog-body input, .dialog-body select, .dialog-body textarea, .dialog-foot .primary, .dialog-foot .solid');
    first?.focus();
    return () => prev?.focus?.();
  }, []);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      props.onClose();
    } else if (e.key === 'Tab' && ref.current) {
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
    }
  };
  return (
    <div className="backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onClose()}>
      <div className={`dialog${props.wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-label={typeof props.title === 'string' ? props.title : undefined} ref={ref} onKeyDown={onKey}>
        <div className="dialog-head">
          <h2>{props.title}</h2>
          <button className="btn ghost icon-btn" style={{ marginLeft: 'auto' }} onClick={props.onClose} aria-label="Close">
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
        {props.footer && <div className="dialog-foot">{props.footer}</div>}
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
