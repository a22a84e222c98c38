// `--wait`: follows a task by polling its state and log, printing new log lines and step changes,
// until it ends. Polling keeps the CLI simple; the UI gets the same through pushed events.
import type { TaskView } from '../api/contract/index';
import { CliError, type RpcClient } from './rpc-client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINISHED = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

export async function findTask(client: RpcClient, id: string): Promise<TaskView> {
  const list = await client.call('taskList', { limit: 1000 });
  const task = list.find((t) => t.id === id);
  if (!task) throw new CliError(`task ${id} is no longer listed by the server`, 1);
  return task;
}

/** Prints the task's log as it grows; resolves with the finished task, rejects (exit 1) when it did not succeed. */
export async function followTask(client: RpcClient, id: string, out: (line: string) => void, intervalMs = 500): Promise<TaskView> {
  let shown = 0;
  let lastStep = '';
  for (;;) {
    const task = await findTask(client, id);
    const log = await client.call('taskLog', { id });
    for (const l of log.slice(shown)) out(`  ${l.line}`);
    shown = log.length;
    if (task.step && task.step !== lastStep && !FINISHED.has(task.state)) {
      lastStep = task.step;
      out(`[${Math.round(task.progress * 100)}%] ${task.step}`);
    }
    if (FINISHED.has(task.state)) {
      if (task.state !== 'succeeded') throw new CliError(`${task.title} ${task.state}: ${task.error?.message ?? 'no reason given'}`, 1);
      out(`${task.title}: done`);
      return task;
    }
    await sleep(intervalMs);
  }
}
