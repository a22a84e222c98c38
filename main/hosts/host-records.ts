// The rows behind a real host beyond its HostView: how to reach it (port, user, pinned key) and what
// the wizard shows about it (last preflight report, provisioning steps, the tasks that made them).
import type { Db } from '../core/db';
import { nowIso } from '../core/ids';
import type { PreflightReport } from './preflight';
import type { StepRecord } from './provisioner';

export interface HostAccess {
  address: string;
  port: number;
  username: string;
  /** Pinned `SHA256:…` fingerprint of the host key the user confirmed. */
  hostKey: string | null;
}

export interface ProvisioningRecord {
  preflight: PreflightReport | null;
  preflightAt: string | null;
  preflightTaskId: string | null;
  provisionTaskId: string | null;
  steps: StepRecord[];
}

interface ProvisioningRow {
  preflight: string | null;
  preflight_at: string | null;
  preflight_task_id: string | null;
  provision_task_id: string | null;
  steps: string;
}

export class HostRecords {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      access: db.prepare('SELECT address, port, username, host_key AS hostKey FROM hosts WHERE id = ?'),
      get: db.prepare('SELECT preflight, preflight_at, preflight_task_id, provision_task_id, steps FROM host_provisioning WHERE host_id = ?'),
      ensure: db.prepare('INSERT INTO host_provisioning (host_id, updated_at) VALUES (?, ?) ON CONFLICT (host_id) DO NOTHING'),
      preflight: db.prepare('UPDATE host_provisioning SET preflight = ?, preflight_at = ?, updated_at = ? WHERE host_id = ?'),
      preflightTask: db.prepare('UPDATE host_provisioning SET preflight_task_id = ?, updated_at = ? WHERE host_id = ?'),
      provisionTask: db.prepare('UPDATE host_provisioning SET provision_task_id = ?, updated_at = ? WHERE host_id = ?'),
      steps: db.prepare('UPDATE host_provisioning SET steps = ?, updated_at = ? WHERE host_id = ?'),
    };
  }

  access(hostId: string): HostAccess | undefined {
    return this.stmt.access.get(hostId) as HostAccess | undefined;
  }

  get(hostId: string): ProvisioningRecord {
    const r = this.stmt.get.get(hostId) as ProvisioningRow | undefined;
    return {
      preflight: r?.preflight ? (JSON.parse(r.preflight) as PreflightReport) : null,
      preflightAt: r?.preflight_at ?? null,
      preflightTaskId: r?.preflight_task_id ?? null,
      provisionTaskId: r?.provision_task_id ?? null,
      steps: r ? (JSON.parse(r.steps) as StepRecord[]) : [],
    };
  }

  private ensure(hostId: string): string {
    const now = nowIso();
    this.stmt.ensure.run(hostId, now);
    return now;
  }

  savePreflight(hostId: string, report: PreflightReport): void {
    const now = this.ensure(hostId);
    this.stmt.preflight.run(JSON.stringify(report), report.at, now, hostId);
  }

  setPreflightTask(hostId: string, taskId: string): void {
    this.stmt.preflightTask.run(taskId, this.ensure(hostId), hostId);
  }

  setProvisionTask(hostId: string, taskId: string): void {
    this.stmt.provisionTask.run(taskId, this.ensure(hostId), hostId);
  }

  saveSteps(hostId: string, steps: StepRecord[]): void {
    this.stmt.steps.run(JSON.stringify(steps), this.ensure(hostId), hostId);
  }
}
