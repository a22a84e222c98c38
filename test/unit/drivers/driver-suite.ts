// One test suite for every HostDriver (after Nova's test_virt_drivers.py): the fake driver runs it
// here, the libvirt driver runs it against the test rack. It checks the contract, not an implementation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DeskError } from '../../../main/core/errors';
import type { HostDriver, ImageSpec, InstanceSpec, OpContext } from '../../../main/drivers/types';

export interface DriverUnderTest {
  driver: HostDriver;
  /** An image the driver can boot. */
  image: ImageSpec;
  /** Removes whatever the test left behind (domains, disks, temp folders). */
  cleanup(): Promise<void>;
  /**
   * Makes the next spawn fail midway. When absent, the suite makes spawn fail by pointing
   * the image at a file that does not exist.
   */
  failNextSpawn?(): void;
  /** Makes the next rebuild fail. When absent, the suite makes it fail with an image file that does not exist. */
  failNextRebuild?(): void;
  /** NICs for the suite's instances (default none). */
  nics?: InstanceSpec['nics'];
  /** How long a guest may take to write its hostname to the console (default: at once). */
  bootTimeoutMs?: number;
}

const op = (signal: AbortSignal = new AbortController().signal): OpContext => ({ signal });

function specFor(image: ImageSpec, overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  const id = randomUUID();
  const hostname = `suite-${id.slice(0, 8)}`;
  return {
    id,
    name: hostname,
    hostname,
    vcpus: 1,
    memoryMb: 256,
    diskGb: 1,
    image,
    nics: [],
    keys: [],
    metadata: {},
    ...overrides,
  };
}

/** Polls the console until it shows `text` (real guests take a while to boot); returns the output. */
async function consoleShowing(driver: HostDriver, id: string, text: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await driver.consoleOutput(id, undefined, op());
    if (out.includes(text) || Date.now() >= deadline) return out;
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function ids(driver: HostDriver): Promise<string[]> {
  return (await driver.listInstances(op())).map((i) => i.id);
}

async function state(driver: HostDriver, id: string): Promise<string> {
  return (await driver.getInfo(id, op())).powerState;
}

export function runDriverSuite(name: string, makeDriver: () => Promise<DriverUnderTest>): void {
  describe(`HostDriver contract: ${name}`, () => {
    let t: DriverUnderTest;
    beforeEach(async () => {
      t = await makeDriver();
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it('reports facts and answers ping', async () => {
      const facts = await t.driver.facts(op());
      assert.ok(facts.hostname.length > 0);
      assert.ok(facts.vcpus > 0 && facts.memoryMb > 0 && facts.diskGb > 0);
      await t.driver.ping(op());
      assert.match(await t.driver.uptime(op()), /^ ?\d{2}:\d{2}:\d{2} up .*load average: [\d.]+, [\d.]+, [\d.]+$/);
    });

    it('spawns an instance that runs, is listed and writes its hostname to the console', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      await t.driver.spawn(spec, op());
      assert.equal(await state(t.driver, spec.id), 'running');
      assert.ok((await ids(t.driver)).includes(spec.id));
      const out = await consoleShowing(t.driver, spec.id, spec.hostname, t.bootTimeoutMs ?? 0);
      assert.match(out, new RegExp(spec.hostname));
      const tail = await t.driver.consoleOutput(spec.id, 2, op());
      assert.ok(tail.split('\n').length <= 2);
      await t.driver.destroy(spec.id, op());
    });

    it('powers off, powers on, and reboots soft and hard', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      await t.driver.spawn(spec, op());
      await t.driver.powerOff(spec.id, 0, op());
      assert.equal(await state(t.driver, spec.id), 'shutdown');
      await t.driver.powerOn(spec.id, op());
      assert.equal(await state(t.driver, spec.id), 'running');
      await t.driver.reboot(spec.id, 'SOFT', op());
      assert.equal(await state(t.driver, spec.id), 'running');
      await t.driver.reboot(spec.id, 'HARD', op());
      assert.equal(await state(t.driver, spec.id), 'running');
      await t.driver.destroy(spec.id, op());
    });

    it('destroy removes the instance and succeeds again when it is already gone', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      await t.driver.spawn(spec, op());
      await t.driver.destroy(spec.id, op());
      assert.ok(!(await ids(t.driver)).includes(spec.id));
      await t.driver.destroy(spec.id, op());
      await t.driver.destroy(randomUUID(), op());
    });

    it('getInfo and consoleOutput of a missing instance reject with NotFound', async () => {
      const missing = randomUUID();
      await assert.rejects(t.driver.getInfo(missing, op()), (e) => e instanceof DeskError && e.code === 'NotFound');
      await assert.rejects(t.driver.consoleOutput(missing, 10, op()), (e) => e instanceof DeskError && e.code === 'NotFound');
    });

    it('an aborted spawn rejects with the signal reason and leaves nothing behind', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      const ac = new AbortController();
      const reason = new DeskError('Conflict', 'cancelled by the suite');
      const pending = t.driver.spawn(spec, op(ac.signal));
      ac.abort(reason);
      await assert.rejects(pending, (e) => e === reason);
      assert.ok(!(await ids(t.driver)).includes(spec.id));
      await assert.rejects(t.driver.getInfo(spec.id, op()), (e) => e instanceof DeskError && e.code === 'NotFound');
    });

    it('a failed spawn leaves nothing behind, and a retry succeeds', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      const missingImage = { ...t.image, id: `${t.image.id}-missing-${spec.id.slice(0, 8)}`, path: `${t.image.path}.missing-${spec.id}` };
      const broken = t.failNextSpawn ? spec : { ...spec, image: missingImage };
      t.failNextSpawn?.();
      await assert.rejects(t.driver.spawn(broken, op()));
      assert.ok(!(await ids(t.driver)).includes(spec.id));
      await t.driver.spawn(spec, op());
      assert.equal(await state(t.driver, spec.id), 'running');
      await t.driver.destroy(spec.id, op());
    });

    it('rebuilds an instance from another image with new guest data: same id, running, the new hostname on its console', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      await t.driver.spawn(spec, op());
      const other: ImageSpec = { ...t.image, id: `${t.image.id}-rebuilt` };
      const rebuilt = { ...spec, image: other, name: `${spec.name}-r`, hostname: `${spec.hostname}-r`, userData: Buffer.from('#!/bin/sh\necho rebuilt\n') };
      await t.driver.rebuild(rebuilt, op());
      assert.equal(await state(t.driver, spec.id), 'running');
      assert.deepEqual((await ids(t.driver)).filter((i) => i === spec.id), [spec.id], 'still one instance of that id');
      const out = await consoleShowing(t.driver, spec.id, rebuilt.hostname, t.bootTimeoutMs ?? 0);
      assert.match(out, new RegExp(rebuilt.hostname));
      // From a shut-off instance, and back to the first image.
      await t.driver.powerOff(spec.id, 0, op());
      await t.driver.rebuild(spec, op());
      assert.equal(await state(t.driver, spec.id), 'running');
      await t.driver.destroy(spec.id, op());
      assert.ok(!(await ids(t.driver)).includes(spec.id));
    });

    it('a failed rebuild leaves the instance as it was or gone, and rebuilding again succeeds; a missing one is made', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      await t.driver.spawn(spec, op());
      const missingImage = { ...t.image, id: `${t.image.id}-missing-${spec.id.slice(0, 8)}`, path: `${t.image.path}.missing-${spec.id}` };
      const broken = t.failNextRebuild ? spec : { ...spec, image: missingImage };
      t.failNextRebuild?.();
      await assert.rejects(t.driver.rebuild(broken, op()));
      const after = await t.driver.getInfo(spec.id, op()).then((i) => i.powerState, (e: unknown) => (e instanceof DeskError && e.code === 'NotFound' ? 'gone' : Promise.reject(e)));
      assert.ok(['running', 'gone'].includes(after), `as it was or gone, not ${after}`);
      await t.driver.rebuild(spec, op());
      assert.equal(await state(t.driver, spec.id), 'running');
      await t.driver.destroy(spec.id, op());
      const missing = specFor(t.image, { nics: t.nics ?? [] });
      await t.driver.rebuild(missing, op());
      assert.equal(await state(t.driver, missing.id), 'running');
      await t.driver.destroy(missing.id, op());
    });

    it('spawning an id that already exists is refused without harming the first', async () => {
      const spec = specFor(t.image, { nics: t.nics ?? [] });
      await t.driver.spawn(spec, op());
      await assert.rejects(t.driver.spawn(spec, op()));
      assert.equal(await state(t.driver, spec.id), 'running');
      await t.driver.destroy(spec.id, op());
    });
  });
}
