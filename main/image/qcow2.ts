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

/** incompatible_features bit 2: the guest data lives in an external file named by the image. */
export const QCOW2_INCOMPAT_DATA_FILE = 1n << 2n;
/** Incompatible feature bits qemu knows: dirty, corrupt, external data file, compression type, extended L2. */
const QCOW2_KNOWN_INCOMPAT = 0b11111n;
/** Header extension type "DATA": the external data file's name. */
export const QCOW2_EXT_DATA_FILE = 0x44415441;

/**
 * Why a qcow2 header is unsafe to open on a host, or null when it is not. An external data file
 * (incompatible feature bit 2 or the 0x44415441 header extension) makes qemu read that host file
 * as the guest's disk — the same hole as a backing file (CVE-2024-32498); unknown incompatible
 * features could mean anything, so they are refused too (as newer Glance does).
 * `head` should hold the first cluster or at least the header and its extensions.
 */
export function qcow2UnsafeReason(head: Buffer): string | null {
  if (qcow2VirtualSize(head) === null) return null;
  if (head.readBigUInt64BE(8) !== 0n) return 'it names a backing file';
  const version = head.readUInt32BE(4);
  if (version < 3) return null; // v2 has no feature bits and no data file
  if (head.length < 104) return 'its header is truncated';
  const incompat = head.readBigUInt64BE(72);
  if (incompat & QCOW2_INCOMPAT_DATA_FILE) return 'it uses an external data file';
  if (incompat & ~QCOW2_KNOWN_INCOMPAT) return `it uses unknown incompatible features (0x${incompat.toString(16)})`;
  if (qcow2HasExtension(head, QCOW2_EXT_DATA_FILE)) return 'it names an external data file';
  return null;
}

/** True when the header extensions in `head` (v3, after header_length) include `type`. */
function qcow2HasExtension(head: Buffer, type: number): boolean {
  let at = head.readUInt32BE(100); // header_length
  while (at + 8 <= head.length) {
    const extType = head.readUInt32BE(at);
    if (extType === 0) return false; // end of extensions
    if (extType === type) return true;
    const len = head.readUInt32BE(at + 4);
    at += 8 + Math.ceil(len / 8) * 8; // extension data is padded to 8 bytes
  }
  return false;
}
