import { useMemo, useState, type ReactElement } from 'react';
import { TaskRow } from '../components/tasks-panel';
import { selectTasks, useData } from '../stores/data';

type Filter = 'all' | 'running' | 'failed';

/** Every task of this session's scope, newest first, with live progress and logs. */
export function ActivityPage(): ReactElement {
  const tasks = useData(selectTasks);
  const [filter, setFilter] = useState<Filter>('all');
  const list = useMemo(() => {
    const all = Object.values(tasks).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (filter === 'running') return all.filter((t) => t.state === 'running' || t.state === 'queued');
    if (filter === 'failed') return all.filter((t) => t.state === 'failed' || t.state === 'interrupted');
    return all;
  }, [tasks, filter]);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Activity</h1>
        <span className="sub">long work: builds, uploads, provisioning</span>
        <div className="actions">
          {(['all', 'running', 'failed'] as Filter[]).map((f) => (
            <button key={f} className={`btn sm${filter === f ? ' primary' : ''}`} onClick={() => setFilter(f)}>{f[0].toUpperCase() + f.slice(1)}</button>
          ))}
        </div>
      </div>
      <div className="card">{list.length === 0 ? <div className="empty">No tasks.</div> : list.slice(0, 300).map((t) => <TaskRow key={t.id} task={t} />)}</div>
    </div>
  );
}
