import type { Migration } from './index';

// Per-host sums of allocations, kept by triggers (cascading deletes included), so the scheduler
// reads one small row per host instead of aggregating every allocation on every boot.
export const migration: Migration = {
  version: 9,
  name: 'scheduler: per-host usage summary kept by triggers',
  sql: `
CREATE TABLE host_usage (
  host_id TEXT PRIMARY KEY REFERENCES hosts(id) ON DELETE CASCADE,
  vcpus INTEGER NOT NULL DEFAULT 0,
  memory_mb INTEGER NOT NULL DEFAULT 0,
  disk_gb INTEGER NOT NULL DEFAULT 0,
  instances INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO host_usage (host_id, vcpus, memory_mb, disk_gb, instances)
  SELECT host_id, SUM(vcpus), SUM(memory_mb), SUM(disk_gb), COUNT(*) FROM allocations GROUP BY host_id;
CREATE TRIGGER allocations_usage_insert AFTER INSERT ON allocations BEGIN
  INSERT INTO host_usage (host_id, vcpus, memory_mb, disk_gb, instances) VALUES (NEW.host_id, NEW.vcpus, NEW.memory_mb, NEW.disk_gb, 1)
  ON CONFLICT (host_id) DO UPDATE SET vcpus = vcpus + excluded.vcpus, memory_mb = memory_mb + excluded.memory_mb,
    disk_gb = disk_gb + excluded.disk_gb, instances = instances + 1;
END;
CREATE TRIGGER allocations_usage_delete AFTER DELETE ON allocations BEGIN
  UPDATE host_usage SET vcpus = vcpus - OLD.vcpus, memory_mb = memory_mb - OLD.memory_mb, disk_gb = disk_gb - OLD.disk_gb,
    instances = instances - 1 WHERE host_id = OLD.host_id;
END;
CREATE TRIGGER allocations_usage_update AFTER UPDATE ON allocations BEGIN
  UPDATE host_usage SET vcpus = vcpus - OLD.vcpus, memory_mb = memory_mb - OLD.memory_mb, disk_gb = disk_gb - OLD.disk_gb,
    instances = instances - 1 WHERE host_id = OLD.host_id;
  INSERT INTO host_usage (host_id, vcpus, memory_mb, disk_gb, instances) VALUES (NEW.host_id, NEW.vcpus, NEW.memory_mb, NEW.disk_gb, 1)
  ON CONFLICT (host_id) DO UPDATE SET vcpus = vcpus + excluded.vcpus, memory_mb = memory_mb + excluded.memory_mb,
    disk_gb = disk_gb + excluded.disk_gb, instances = instances + 1;
END;
`,
};
