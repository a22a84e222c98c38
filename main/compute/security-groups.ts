// Security groups as compute knows them while DeskStack has none of its own: each project has the
// 'default' group, which lets every packet in (DeskStack does not filter guest traffic yet). A
// server records the groups asked for at create, add and remove, and Nova's APIs show them.
import type { RequestContext } from '../core/context';
import { badRequest, DeskError } from '../core/errors';
import type { ServerStore } from './server-store';
import { stableUuid } from './stable-uuid';

export const DEFAULT_GROUP = 'default';

export interface SecurityGroupRuleView {
  id: string;
  /** null: any protocol and port, as DeskStack lets all traffic in. */
  ipProtocol: string | null;
  fromPort: number | null;
  toPort: number | null;
  cidr: string;
}

export interface SecurityGroupView {
  id: string;
  name: string;
  description: string;
  projectId: string;
  rules: SecurityGroupRuleView[];
}

/** The project's default group; its ids derive from the project, as it has no row of its own. */
export function defaultGroup(projectId: string): SecurityGroupView {
  const id = stableUuid(`security-group:${projectId}:default`);
  return {
    id,
    name: DEFAULT_GROUP,
    description: 'Default security group (DeskStack does not filter guest traffic yet: everything is let in)',
    projectId,
    rules: [{ id: stableUuid(`security-group-rule:${id}`), ipProtocol: null, fromPort: null, toPort: null, cidr: '0.0.0.0/0' }],
  };
}

/** The groups a caller can see: the project's default. */
export function listGroups(ctx: RequestContext): SecurityGroupView[] {
  return [defaultGroup(ctx.projectId)];
}

export function getGroup(ctx: RequestContext, id: string): SecurityGroupView {
  const g = defaultGroup(ctx.projectId);
  if (id !== g.id) throw new DeskError('NotFound', `Security group ${id} not found.`);
  return g;
}

/** Checks requested names: only the default group exists. */
export function checkGroupNames(names: string[]): void {
  for (const n of names) if (n !== DEFAULT_GROUP) throw badRequest(`Security group ${n} not found.`);
}

/** The groups of one server, as views. */
export function serverGroups(servers: ServerStore, ctx: RequestContext, serverId: string): SecurityGroupView[] {
  const row = servers.visibleRow(ctx, serverId);
  return (JSON.parse(row.security_groups) as string[]).map(() => defaultGroup(row.project_id));
}

/** Nova's addSecurityGroup: 404 for a group that does not exist; adding one the server has is a no-op. */
export function addToServer(servers: ServerStore, ctx: RequestContext, serverId: string, name: string): void {
  const row = servers.visibleRow(ctx, serverId);
  if (name !== DEFAULT_GROUP) throw new DeskError('NotFound', `Security group ${name} not found.`);
  const groups = JSON.parse(row.security_groups) as string[];
  if (!groups.includes(name)) servers.update(serverId, { security_groups: JSON.stringify([...groups, name]) });
}

/** Nova's removeSecurityGroup: 400 when the server is not in the group. */
export function removeFromServer(servers: ServerStore, ctx: RequestContext, serverId: string, name: string): void {
  const row = servers.visibleRow(ctx, serverId);
  const groups = JSON.parse(row.security_groups) as string[];
  if (!groups.includes(name)) throw badRequest(`Security group ${name} not associated with the instance ${serverId}`);
  servers.update(serverId, { security_groups: JSON.stringify(groups.filter((g) => g !== name)) });
}
