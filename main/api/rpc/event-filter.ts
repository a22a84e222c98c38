import type { RequestContext } from '../../core/context';
import type { DeskEvent } from '../../core/events';

/**
 * Whether a session may hear an event: admins hear everything; others hear their project's
 * resources and tasks plus global ones (flavors, public images), but not host health.
 */
export function canSee(ctx: RequestContext, event: DeskEvent): boolean {
  if (ctx.isAdmin) return true;
  switch (event.type) {
    case 'resource':
      if (event.kind === 'host') return false;
      return event.projectId === null || event.projectId === ctx.projectId;
    case 'task':
      return event.task.projectId === null ? event.task.hostId === null : event.task.projectId === ctx.projectId;
    case 'task.log':
      return event.projectId === ctx.projectId;
    case 'host.health':
      return false;
    default:
      return false;
  }
}
