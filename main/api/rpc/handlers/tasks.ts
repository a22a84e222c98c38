import { notFound } from '../../../core/errors';
import type { RequestContext } from '../../../core/context';
import type { ControlPlane } from '../../../control-plane';
import type { TaskView } from '../../../core/events';
import type { Handler } from '../dispatch';

/** A task is visible to admins, and to members of the project it belongs to. */
function visibleTask(cp: ControlPlane, ctx: RequestContext, id: string): TaskView {
  let task: TaskView;
  try {
    task = cp.tasks.get(id);
  } catch {
    throw notFound('Task', id);
  }
  if (!ctx.isAdmin && task.projectId !== ctx.projectId) throw notFound('Task', id);
  return task;
}

export const taskList: Handler<'taskList'> = ({ cp, ctx }, input) => {
  // Project members see only their project's tasks, never host-level work (provisioning, reconciling);
  // the filter is in SQL so the limit counts only what they may see.
  return cp.tasks.list({ projectId: ctx.isAdmin ? undefined : ctx.projectId, states: input.states, limit: input.limit ?? 200 });
};

export const taskLog: Handler<'taskLog'> = ({ cp, ctx }, input) => {
  visibleTask(cp, ctx, input.id);
  return cp.tasks.logs(input.id);
};

export const taskCancel: Handler<'taskCancel'> = ({ cp, ctx }, input) => {
  visibleTask(cp, ctx, input.id);
  // Refuses (Conflict) a task that has ended or cannot be stopped midway safely.
  cp.tasks.cancelByUser(input.id);
  return { cancelled: true };
};
