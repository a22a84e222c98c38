import type { OverviewView } from '../../contract/views';
import type { Handler } from '../dispatch';
import { hostViews } from './hosts';
import { imageList } from './images';
import { networkViews } from './networks';
import { serverList } from './servers';
import { taskList } from './tasks';

/** One snapshot for the Overview screen (the renderer also derives it live from its stores). */
export const overviewGet: Handler<'overviewGet'> = async (call): Promise<OverviewView> => {
  const { cp, ctx } = call;
  const servers = await serverList(call, {});
  const counts: Record<string, number> = {};
  for (const s of servers) counts[s.status] = (counts[s.status] ?? 0) + 1;
  const tasks = await taskList(call, { limit: 200 });
  return {
    hosts: ctx.isAdmin ? hostViews(cp) : [],
    serverCounts: counts,
    serverTotal: servers.length,
    imageCount: (await imageList(call, {})).length,
    networkCount: networkViews(cp, ctx).length,
    runningTasks: tasks.filter((t) => t.state === 'running' || t.state === 'queued'),
    recentFailures: tasks.filter((t) => t.state === 'failed').slice(0, 10),
    errorServers: servers
      .filter((s) => s.status === 'ERROR')
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, 10),
  };
};
