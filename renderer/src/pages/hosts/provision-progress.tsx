import type { ReactElement } from 'react';
import type { TaskView } from '../../../../main/api/contract/index';
import type { ProvisionStepView } from '../../api/hosts-api';
import { Icon } from '../../components/icons';
import { Progress } from '../../components/meter';
import { TaskLog } from '../../components/tasks-panel';

function StepIcon({ status }: { status: ProvisionStepView['status'] }): ReactElement {
  if (status === 'running') return <span className="spinner" />;
  if (status === 'done') return <Icon.check />;
  if (status === 'failed') return <Icon.x />;
  return <span className="dot-pending" />;
}

/** Provisioning as it happens: the bar with the current step, each step's outcome, and the live log. */
export function ProvisionProgress({ task, steps }: { task: TaskView | undefined; steps: ProvisionStepView[] }): ReactElement {
  const failed = steps.find((s) => s.status === 'failed');
  const state = task?.state ?? 'queued';
  return (
    <div className="provision" aria-label="Provisioning progress">
      <div className="row" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <b>{state === 'succeeded' ? 'Provisioned' : state === 'failed' ? 'Provisioning failed' : state === 'cancelled' ? 'Provisioning cancelled' : 'Provisioning…'}</b>
        {state !== 'succeeded' && <span className="muted" data-testid="provision-step">{task?.step ?? 'Waiting to start'}</span>}
        <span className="muted" style={{ marginLeft: 'auto' }}>{Math.round((task?.progress ?? 0) * 100)}%</span>
      </div>
      <Progress value={task?.progress ?? 0} state={state} />
      {steps.length > 0 && (
        <ol className="steplist">
          {steps.map((s) => (
            <li key={s.id} className={`pstep ${s.status}`} data-step={s.id} data-status={s.status}>
              <span className="check-icon"><StepIcon status={s.status} /></span>
              <span className="pstep-title">{s.title}</span>
              <span className="muted pstep-summary" title={s.summary ?? undefined}>{s.status === 'done' ? `${s.changed === false ? 'already in place' : 'done'}${s.summary ? ` · ${s.summary}` : ''}` : s.status === 'failed' ? 'failed' : ''}</span>
            </li>
          ))}
        </ol>
      )}
      {failed && (
        <div className="callout red" role="alert">
          <Icon.x />
          <div style={{ minWidth: 0, flex: 1 }}>
            <b>Step “{failed.title}” failed.</b> {failed.error}
            {failed.output.length > 0 && <pre className="console step-output">{failed.output.join('\n')}</pre>}
          </div>
        </div>
      )}
      {!failed && state === 'failed' && task?.error && <div className="callout red" role="alert"><Icon.x /><div>{task.error.message}</div></div>}
      {task && (
        <details open={state !== 'succeeded'}>
          <summary className="muted">Log</summary>
          <TaskLog taskId={task.id} />
        </details>
      )}
    </div>
  );
}
