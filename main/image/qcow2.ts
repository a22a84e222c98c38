// qcow2 header facts, read without qemu-img: Glance records virtual_size for qcow2 from the header,
// and compute sizes the root disk from it.

export const QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"

/** Bytes of the header needed to read the virtual size (magic … size field). */
export const QCOW2_HEADER_PROBE_BYTES = 32;

/**
 * The virtual disk size a qcow2 header declares (bytes 24..31, big-endian), or null when
 * `head` is not the start of a qcow2 v2/v3 image.
 */
export function qcow2VirtualSize(head: Buffer): number | null {
  if (head.length < QCOW2_HEADER_PROBE_BYTES) return null;
  if (head.readUInt32BE(0) !== QCOW2_MAGIC) return null;
  const version = head.readUInt32BE(4);
  if (version !== 2 && version !== 3) return null;
  const size = head.readBigUInt64BE(24);
  // A size past 2^53 cannot be a real disk and would not survive a JS number.
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(size);
}

/**
 * Builds a structurally valid, empty qcow2 v3 image (64 KiB clusters: header, refcount table,
 * refcount block, L1 table) that `qemu-img check` accepts. Used for the demo image's bytes.
 */
export function buildEmptyQcow2(virtualSize: number): Buffer {
  const clusterBits = 16;
  const cluster = 1 << clusterBits;
  // One L2 table maps cluster/8 clusters of guest data.
  const bytesPerL1Entry = (cluster / 8) * cluster;
  const l1Size = Math.max(1, Math.ceil(virtualSize / bytesPerL1Entry));
  const l1Clusters = Math.ceil((l1Size * 8) / cluster);
  const totalClusters = 3 + l1Clusters;
  const buf = Buffer.alloc(totalClusters * cluster);

  buf.writeUInt32BE(QCOW2_MAGIC, 0);
  buf.writeUInt32BE(3, 4); // version
  buf.writeBigUInt64BE(0n, 8); // backing_file_offset: none
  buf.writeUInt32BE(0, 16); // backing_file_size
  buf.writeUInt32BE(clusterBits, 20);
  buf.writeBigUInt64BE(BigInt(virtualSize), 24);
  buf.writeUInt32BE(0, 32); // crypt_method: none
  buf.writeUInt32BE(l1Size, 36);
  buf.writeBigUInt64BE(BigInt(3 * cluster), 40); // l1_table_offset
  buf.writeBigUInt64BE(BigInt(cluster), 48); // refcount_table_offset
  buf.writeUInt32BE(1, 56); // refcount_table_clusters
  buf.writeUInt32BE(0, 60); // nb_snapshots
  buf.writeBigUInt64BE(0n, 64); // snapshots_offset
  buf.writeBigUInt64BE(0n, 72); // incompatible_features
  buf.writeBigUInt64BE(0n, 80); // compatible_features
  buf.writeBigUInt64BE(0n, 88); // autoclear_features
  buf.writeUInt32BE(4, 96); // refcount_order: 16-bit refcounts
  buf.writeUInt32BE(104, 100); // header_length
  // Header extension end marker (type 0, length 0) follows the header; already zero.

  buf.writeBigUInt64BE(BigInt(2 * cluster), cluster); // refcount table[0] -> refcount block
  for (let i = 0; i < totalClusters; i++) buf.writeUInt16BE(1, 2 * cluster + i * 2); // every metadata cluster used once
  return buf;
}

/**
 * True when a qcow2 header names a backing file (bytes 8..15 non-zero). Such an image could make
 * the hypervisor read any file on the host (CVE-2024-32498), so uploads of them are refused.
 */
export function qcow2HasBackingFile(head: Buffer): boolean {
  if (qcow2VirtualSize(head) === null) return false;
  return head.readBigUInt64BE(8) !== 0n;
}
