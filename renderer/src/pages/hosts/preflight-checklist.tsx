import type { ReactElement } from 'react';
import type { PreflightReportView } from '../../api/hosts-api';
import { Icon } from '../../components/icons';
import { formatRam } from '../../components/meter';

const ICON = { pass: Icon.check, warn: Icon.warn, fail: Icon.x } as const;

/** The preflight report: one row per check with its verdict, what was found, and how to fix a warn or fail. */
export function PreflightChecklist({ report }: { report: PreflightReportView }): ReactElement {
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  return (
    <div className="preflight" aria-label="Preflight report">
      <div className={`callout ${fails ? 'red' : warns ? 'amber' : 'blue'}`}>
        {fails ? <Icon.x /> : warns ? <Icon.warn /> : <Icon.check />}
        <div>
          <b>{fails ? `${fails} check${fails === 1 ? '' : 's'} failed` : warns ? `Ready, with ${warns} warning${warns === 1 ? '' : 's'}` : 'Ready to provision'}</b>
          {' · '}
          {report.os.prettyName} · {report.vcpus} vCPU · {formatRam(report.memoryMb)} · {report.virtType === 'kvm' ? 'KVM acceleration' : 'software emulation (QEMU)'}
        </div>
      </div>
      <ul className="checklist">
        {report.checks.map((c) => {
          const I = ICON[c.status];
          return (
            <li key={c.id} className={`check ${c.status}`} data-check={c.id} data-status={c.status}>
              <span className="check-icon" aria-label={c.status}><I /></span>
              <div>
                <div className="check-title">{c.title}</div>
                <div className="check-detail">{c.detail}</div>
                {c.fix && c.status !== 'pass' && <div className="check-fix"><Icon.wrench /> {c.fix}</div>}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
