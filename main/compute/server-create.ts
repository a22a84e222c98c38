// POST /servers semantics: check the request (server-create-plan), admit what fits the quotas, then
// write the rows and start the builds in chunks that let other requests run in between.
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../core/context';
import { badRequest } from '../core/errors';
import { newUuid, nowIso } from '../core/ids';
import { canonicalIpv6 } from './access-ip';
import type { ComputeCore } from './compute-deps';
import { hostnameOf } from './hostname';
import { keyDataOf } from './instance-spec';
import type { Hold } from './pending-ledger';
import { startBuild } from './server-build';
import { planCreate, type CreatePlan } from './server-create-plan';
import { TASK, VM } from './states';
import type { ServerView } from './types';

export { MAX_USER_DATA_BYTES } from './server-create-plan';

/** The most servers one request may ask for (min_count and max_count); Nova's only bound is the quota. */
export const MAX_SERVERS_PER_REQUEST = 1000;
/** Rows written (and builds started) per synchronous stretch. */
const CHUNK = 50;

export interface NetworkRequest {
  uuid?: string;
  port?: string;
  fixedIp?: string;
}

export interface CreateServerInput {
  name: string;
  /** The guest's admin password (one is generated when absent); returned, and handed over on a config drive. */
  adminPass?: string;
  imageRef: string;
  flavorRef: string;
  minCount?: number;
  maxCount?: number;
  /** Base64, as the API takes it. */
  userData?: string;
  metadata?: Record<string, string>;
  keyName?: string;
  /** Nova's "zone", "zone:host", "zone:host:node", "zone::node" or ":host" (host forms admin-only). */
  availabilityZone?: string;
  /** Nova 2.74's requested destination (admin only). */
  host?: string;
  hypervisorHostname?: string;
  /** Omitted: the one network the project can use (before 2.37). */
  networks?: 'auto' | 'none' | NetworkRequest[];
  groupId?: string;
  description?: string | null;
  configDrive?: boolean;
  /** The guest's hostname (2.90); only for a single server. */
  hostname?: string;
  tags?: string[];
  accessIPv4?: string;
  accessIPv6?: string;
  /** Security group names; omitted means the project's 'default'. */
  securityGroups?: string[];
  diskConfig?: 'AUTO' | 'MANUAL';
}

export interface CreateServerResult {
  reservationId: string;
  servers: ServerView[];
  adminPass: string;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A password for a server's admin account when the request gave none (Nova's generate_password: 12 characters). */
export const newAdminPass = (): string => randomBytes(9).toString('base64url').slice(0, 12);

export async function createServers(core: ComputeCore, ctx: RequestContext, input: CreateServerInput): Promise<CreateServerResult> {
  const minCount = input.minCount ?? 1;
  const maxCount = input.maxCount ?? minCount;
  if (minCount > maxCount) throw badRequest('min_count must be <= max_count');
  if (maxCount > MAX_SERVERS_PER_REQUEST) throw badRequest(`max_count ${maxCount} is more than the ${MAX_SERVERS_PER_REQUEST} servers one request may create.`);
  const plan = planCreate(core, ctx, input, maxCount);
  const adminPass = input.adminPass ?? newAdminPass();

  const admitted = core.quotas.admitServers(ctx.projectId, plan.flavor.vcpus, plan.flavor.ram, minCount, maxCount);
  const holds: Hold[] = [admitted.hold];
  const reservationId = `r-${randomBytes(4).toString('hex')}`;
  const servers: ServerView[] = [];
  try {
    if (plan.groupId) holds.push(core.groups.admitMembers(ctx.projectId, plan.groupId, admitted.count));
    for (let start = 0; start < admitted.count; start += CHUNK) {
      if (start > 0) await yieldToLoop();
      const n = Math.min(CHUNK, admitted.count - start);
      const written = writeRows(core, ctx, input, plan, { reservationId, count: admitted.count, start, n });
      for (const h of holds) h.landed(n);
      for (const { id } of written) core.bus.resource('server', id, ctx.projectId, 'created');
      // Views first: the caller sees the servers as created (BUILD/scheduling), before the builds move them on.
      servers.push(...core.servers.views(written.map((w) => core.servers.row(w.id)!)));
      for (const { id, actionId } of written) startBuild(core, id, actionId, plan.image, { adminPass });
    }
  } finally {
    for (const h of holds) h.release();
  }
  return { reservationId, servers, adminPass };
}

interface Batch {
  reservationId: string;
  /** Servers in the whole request (names and hostnames get a -N suffix when more than one). */
  count: number;
  start: number;
  n: number;
}

/** One chunk of rows, their metadata, tags and create actions, in one transaction. */
function writeRows(core: ComputeCore, ctx: RequestContext, input: CreateServerInput, plan: CreatePlan, b: Batch): Array<{ id: string; actionId: number }> {
  const insert = core.db.prepare(
    `INSERT INTO servers (id, project_id, user_id, name, hostname, vm_state, task_state, power_state, flavor_id, flavor, image_id, key_name, key_data, user_data,
       networks, addresses, availability_zone, requested_host, server_group_id, reservation_id, launch_index, config_drive, description,
       access_ipv4, access_ipv6, security_groups, disk_config, created_at, updated_at)
     VALUES (@id, @project, @user, @name, @hostname, @vm, @task, 0, @flavorId, @flavor, @image, @key, @keyData, @userData, @networks, '[]', @az, @host, @group,
       @reservation, @index, @configDrive, @description, @ipv4, @ipv6, @securityGroups, @diskConfig, @now, @now)`,
  );
  const insertMeta = core.db.prepare('INSERT INTO server_metadata (server_id, key, value) VALUES (?, ?, ?)');
  const insertTag = core.db.prepare('INSERT INTO server_tags (server_id, tag) VALUES (?, ?)');
  return core.db
    .transaction(() => {
      // A group deleted while earlier chunks were written no longer takes members.
      const group = plan.groupId && core.db.prepare('SELECT 1 FROM server_groups WHERE id = ?').get(plan.groupId) ? plan.groupId : null;
      const now = nowIso();
      const out: Array<{ id: string; actionId: number }> = [];
      for (let i = b.start; i < b.start + b.n; i++) {
        const id = newUuid();
        insert.run({
          id,
          project: ctx.projectId,
          user: ctx.userId,
          name: b.count > 1 ? `${input.name}-${i + 1}` : input.name,
          hostname: hostnameOf(input.hostname, input.name, id, b.count, i),
          vm: VM.BUILDING,
          task: TASK.SCHEDULING,
          flavorId: plan.flavor.id,
          flavor: JSON.stringify(plan.flavor),
          image: plan.image.id,
          key: input.keyName ?? null,
          keyData: plan.key ? keyDataOf(plan.key) : null,
          userData: input.userData ?? null,
          networks: JSON.stringify(plan.nets),
          az: plan.zone,
          host: plan.host,
          group,
          reservation: b.reservationId,
          index: i,
          configDrive: input.configDrive ? 'True' : '',
          description: input.description ?? null,
          ipv4: input.accessIPv4 ?? '',
          ipv6: input.accessIPv6 ? canonicalIpv6(input.accessIPv6) : '',
          securityGroups: JSON.stringify(plan.securityGroups),
          diskConfig: input.diskConfig ?? 'MANUAL',
          now,
        });
        for (const [k, v] of Object.entries(plan.metadata)) insertMeta.run(id, k, v);
        for (const t of plan.tags) insertTag.run(id, t);
        out.push({ id, actionId: core.actions.start(id, 'create', ctx) });
      }
      return out;
    })
    .immediate();
}
