import { mkdtempSync, rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../main/core/config';
import type { RequestContext } from '../../main/core/context';
import { openDatabase } from '../../main/core/db';
import { DeskError } from '../../main/core/errors';
import { EventBus, type DeskEvent } from '../../main/core/events';
import { ImageService } from '../../main/image/image-service';

// Shared by the image service tests: request contexts for two projects and an admin, a fresh service
// over its own data folder, and an assertion on the DeskError code a call fails with.

export const ctxFor = (projectId: string, isAdmin = false): RequestContext => ({
  userId: `u-${projectId}`,
  userName: `user-${projectId}`,
  domainId: 'default',
  projectId,
  projectName: projectId,
  roles: isAdmin ? ['admin', 'member', 'reader'] : ['member', 'reader'],
  isAdmin,
  requestId: 'req-test',
});
export const A = ctxFor('proj-a');
export const B = ctxFor('proj-b');
export const ADMIN = ctxFor('proj-admin', true);

export function setup(t: TestContext, overrides: Partial<Config> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'deskstack-image-'));
  const config = loadConfig({ dataDir: dir, ...overrides });
  const db = openDatabase(join(dir, 'deskstack.db'));
  const bus = new EventBus();
  const events: DeskEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const images = new ImageService(db, bus, config);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, config, db, bus, events, images, imagesDir: join(dir, 'images') };
}

export async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string): Promise<DeskError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(e instanceof DeskError, `expected a DeskError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

