import type { ReactElement } from 'react';
import { dismissToast, useUi } from '../stores/ui';

export function Toasts(): ReactElement {
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} onClick={() => dismissToast(t.id)}>
          <div className="t-title">{t.title}</div>
          {t.message && <div className="t-msg">{t.message}</div>}
        </div>
      ))}
    </div>
  );
}
