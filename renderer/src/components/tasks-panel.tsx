import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { TaskView } from '../../../main/api/contract/index';
import { asClientError, client } from '../api/client';
import { selectRunningCount, selectTaskLog, selectTasks, useData } from '../stores/data';
import { openTaskLog } from '../stores/sync';
import { toast, useUi } from '../stores/ui';
import { Icon } from './icons';
import { Progress, timeAgo } from './meter';
import { StatusChip } from './status-chip';

const ACTIVE = new Set(['queued', 'running']);

export function TaskLog({ taskId }: { taskId: string }): ReactElement {
  const lines = useData(selectTaskLog(taskId));
  useEffect(() => void openTaskLog(taskId), [taskId]);
  if (!lines) return <div className="console">Loading…</div>;
  return (
    <div className="console" style={{ maxHeight: 220 }}>
      {lines.length === 0 ? <span className="muted">No log lines yet.</span> : lines.map((l, i) => (
        <div key={i} className={`log-line ${l.level}`}>
          {l.at.slice(11, 19)} {l.line}
        </div>
      ))}
    </div>
  );
}

function duration(ms: number): string {
  if (ms < 1000) return 'under a second';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A finished task says how it ended, never the step it was on last. */
function finishedText(task: TaskView): string {
  const took = task.finishedAt ? ` in ${duration(Date.parse(task.finishedAt) - Date.parse(task.createdAt))}` : '';
  switch (task.state) {
    case 'succeeded':
      return `Done${took}`;
    case 'cancelled':
      return `Cancelled${took}`;
    case 'interrupted':
      return 'Interrupted when DeskStack stopped';
    default:
      return '';
  }
}

/** One task: title, state, progress bar, current step; expands to its live log; Cancel only where stopping midway is safe. */
export function TaskRow({ task }: { task: TaskView }): ReactElement {
  const [open, setOpen] = useState(false);
  const running = ACTIVE.has(task.state);
  return (
    <div className="task-item" data-task={task.id}>
      <div className="row">
        <span className="title" title={task.title}>{task.title}</span>
        <span style={{ marginLeft: 'auto' }}>
          <StatusChip status={task.state.toUpperCase()} />
        </span>
      </div>
      {(running || task.state === 'failed') && <Progress value={task.progress} state={task.state} />}
      <div className="row">
        <span className="step" title={task.error?.message}>
          {task.error ? <span className="fault">{task.error.message}</span> : running ? task.step || 'Waiting…' : finishedText(task)}
        </span>
        <span className="muted" style={{ marginLeft: 'auto', fontSize: 11.5 }}>{timeAgo(task.updatedAt)}</span>
        <button className="btn ghost sm" onClick={() => setOpen(!open)} aria-expanded={open}>{open ? 'Hide log' : 'Log'}</button>
        {task.cancellable && (
          <button
            className="btn ghost sm danger"
            onClick={() =>
              void client.call('taskCancel', { id: task.id }).catch((err) => toast('error', 'Could not cancel the task', asClientError(err).message))
            }
          >
            Cancel
          </button>
        )}
      </div>
      {open && <TaskLog taskId={task.id} />}
    </div>
  );
}

/** The top bar's tasks button: a count of running work, opening the tasks with their progress and logs. */
export function TasksIndicator(): ReactElement {
  const count = useData(selectRunningCount);
  const open = useUi((s) => s.tasksOpen);
  const tasks = useData(selectTasks);
  // Escape closes the popover wherever the focus is (an open dialog takes Escape first).
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && useUi.setState({ tasksOpen: false });
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  const list = useMemo(() => {
    const all = Object.values(tasks).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const running = all.filter((t) => ACTIVE.has(t.state));
    return [...running, ...all.filter((t) => !ACTIVE.has(t.state)).slice(0, Math.max(0, 12 - running.length))];
  }, [tasks]);
  return (
    <>
      <button className="btn" onClick={() => useUi.setState({ tasksOpen: !open })} aria-expanded={open} aria-label={`Tasks: ${count} running`}>
        {count > 0 ? <span className="spinner" style={{ width: 12, height: 12 }} /> : <Icon.tasks />}
        Tasks {count > 0 && <span className="badge">{count}</span>}
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Tasks">
          <div className="card-head">
            <h2>Tasks</h2>
            <span className="muted">{count} running</span>
            <button className="btn ghost icon-btn" style={{ marginLeft: 'auto' }} onClick={() => useUi.setState({ tasksOpen: false })} aria-label="Close tasks">
              <Icon.close />
            </button>
          </div>
          <div style={{ overflowY: 'auto' }}>
            {list.length === 0 ? <div className="empty">No tasks yet.</div> : list.map((t) => <TaskRow key={t.id} task={t} />)}
          </div>
        </div>
      )}
    </>
  );
}
