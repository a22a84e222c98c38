// Checks uploaded bytes against the image's disk_format as they stream in, the way Glance's format
// inspector does: only the first HEAD_BYTES and the last TAIL_BYTES are ever looked at, so a 64 GiB
// upload is read once. A mismatch or an unsafe image is refused with a BadRequest that says why.

import { badRequest } from '../core/errors';
import type { DiskFormat } from './image-types';
import { QCOW2_MAGIC, qcow2UnsafeReason, qcow2VirtualSize } from './qcow2';

/** Enough for a qcow2 header and its extensions, a VMDK's embedded descriptor and the ISO 9660 volume descriptor. */
export const HEAD_BYTES = 64 * 1024;
/** A VHD footer: a fixed VHD has it only at the very end. */
export const TAIL_BYTES = 512;

/** The formats DeskStack recognises from their bytes. */
type Detected = 'qcow2' | 'vmdk' | 'vdi' | 'vhd' | 'vhdx' | 'iso';

const VMDK_SPARSE_MAGIC = Buffer.from('KDMV');
const VMDK_DESCRIPTOR = Buffer.from('# Disk DescriptorFile');
const VDI_SIGNATURE = 0xbeda107f;
const VDI_SIGNATURE_AT = 0x40;
const VHD_COOKIE = Buffer.from('conectix');
const VHDX_SIGNATURE = Buffer.from('vhdxfile');
// ISO 9660: the primary volume descriptor is sector 16 (2048-byte sectors); "CD001" follows its type byte.
const ISO_PVD = 0x8000;
const ISO_ID = Buffer.from('CD001');

const startsWith = (buf: Buffer, at: number, sig: Buffer) => buf.length >= at + sig.length && buf.subarray(at, at + sig.length).equals(sig);

/** Every format whose signature `head` (and, once the upload is complete, `tail`) carries. */
function detect(head: Buffer, tail: Buffer | null): Detected[] {
  const found: Detected[] = [];
  if (head.length >= 4 && head.readUInt32BE(0) === QCOW2_MAGIC) found.push('qcow2');
  if (startsWith(head, 0, VMDK_SPARSE_MAGIC) || startsWith(head, 0, VMDK_DESCRIPTOR)) found.push('vmdk');
  if (head.length >= VDI_SIGNATURE_AT + 4 && head.readUInt32LE(VDI_SIGNATURE_AT) === VDI_SIGNATURE) found.push('vdi');
  if (startsWith(head, 0, VHD_COOKIE) || (tail !== null && startsWith(tail, 0, VHD_COOKIE))) found.push('vhd');
  if (startsWith(head, 0, VHDX_SIGNATURE)) found.push('vhdx');
  if (startsWith(head, ISO_PVD + 1, ISO_ID)) found.push('iso');
  return found;
}

const NAMES: Record<Detected, string> = { qcow2: 'a qcow2', vmdk: 'a VMDK', vdi: 'a VDI', vhd: 'a VHD', vhdx: 'a VHDX', iso: 'an ISO 9660' };

/** The end of a completely received upload. */
export interface UploadEnd {
  tail: Buffer;
  size: number;
}

/**
 * Checks image bytes against the declared disk_format and returns the virtual disk size when the
 * format records one (null when it does not, or mid-stream). `head` is the first HEAD_BYTES of the
 * data (all of it when shorter); `end` is null while the upload is still streaming, in which case only
 * what the head already proves is refused. ami, ari, aki and ploop are not inspected, as in Glance.
 */
export function inspectDisk(declared: DiskFormat, head: Buffer, end: UploadEnd | null): number | null {
  const found = detect(head, end ? end.tail : null);
  if (found.length > 1) throw badRequest(`Image data matches several disk formats (${found.join(', ')}); such a file could be read differently by different tools, so it is refused.`);
  const actual = found[0];
  switch (declared) {
    case 'raw':
      if (actual) throw mismatch(declared, `it is ${NAMES[actual]} image; set disk_format to ${actual}`);
      return end ? end.size : null;
    case 'qcow2':
    case 'vmdk':
    case 'vdi':
    case 'vhdx':
    case 'iso':
      if (actual !== declared) throw mismatch(declared, actual ? `it is ${NAMES[actual]} image; set disk_format to ${actual}` : `it has no ${declared} header`);
      return inspectKnown(declared, head, end);
    case 'vhd':
      if (actual === 'vhd') return vhdVirtualSize(head, end);
      if (actual) throw mismatch(declared, `it is ${NAMES[actual]} image; set disk_format to ${actual}`);
      // A fixed VHD keeps its only footer at the very end: undecided until the upload is complete.
      if (end) throw mismatch(declared, 'it has no VHD footer');
      return null;
    default:
      return null;
  }
}

const mismatch = (declared: DiskFormat, why: string) =>
  badRequest(`Image data does not match its disk_format '${declared}': ${why.slice(0, 200)}. Upload the image in the declared format (qemu-img info shows a file's real format; qemu-img convert changes it).`);

function inspectKnown(format: 'qcow2' | 'vmdk' | 'vdi' | 'vhdx' | 'iso', head: Buffer, end: UploadEnd | null): number | null {
  switch (format) {
    case 'qcow2': {
      const size = qcow2VirtualSize(head);
      if (size === null) throw mismatch(format, 'its qcow2 header is of an unsupported version or declares an impossible size');
      const unsafe = qcow2UnsafeReason(head);
      if (unsafe) throw badRequest(`Image data is a qcow2 that is not allowed: ${unsafe}; flatten it first (qemu-img convert -O qcow2 in.qcow2 out.qcow2).`);
      return end ? size : null;
    }
    case 'vmdk':
      return vmdkVirtualSize(head, end);
    case 'vdi':
      // cbDisk, the disk size in bytes, sits at 0x170 in every VDI header version qemu reads.
      if (head.length < 0x178) throw mismatch(format, 'its header is cut off');
      return end ? safeNumber(head.readBigUInt64LE(0x170)) : null;
    case 'iso':
      return end ? isoVirtualSize(head) : null;
    case 'vhdx':
      // Its size lives in a metadata region far past the head; qemu reads it, we do not need to.
      return null;
  }
}

const safeNumber = (n: bigint): number | null => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : null);

/**
 * A VMDK must be one self-contained sparse file (monolithicSparse or streamOptimized). A descriptor
 * file, extra extents or a parent would make the hypervisor open other files on the host.
 */
function vmdkVirtualSize(head: Buffer, end: UploadEnd | null): number | null {
  if (!startsWith(head, 0, VMDK_SPARSE_MAGIC))
    throw badRequest('Image data is a VMDK descriptor file, which points at other files; upload a single-file VMDK (qemu-img convert -O vmdk -o subformat=streamOptimized).');
  if (head.length < 44) throw mismatch('vmdk', 'its header is truncated');
  const capacitySectors = head.readBigUInt64LE(12);
  const descAt = Number(head.readBigUInt64LE(28)) * 512;
  const descLen = Number(head.readBigUInt64LE(36)) * 512;
  if (descLen === 0 || descAt + descLen > HEAD_BYTES) throw badRequest('Image data is a VMDK whose embedded descriptor is missing or misplaced; convert it with qemu-img convert -O vmdk.');
  if (descAt + descLen > head.length) throw mismatch('vmdk', 'its embedded descriptor is cut off');
  const descriptor = head.subarray(descAt, descAt + descLen).toString('latin1').replace(/\0.*$/s, '');
  const unsafe = vmdkUnsafeReason(descriptor);
  if (unsafe) throw badRequest(`Image data is a VMDK that is not allowed: ${unsafe}; convert it to a single-file VMDK (qemu-img convert -O vmdk -o subformat=streamOptimized).`);
  return end ? safeNumber(capacitySectors * 512n) : null;
}

function vmdkUnsafeReason(descriptor: string): string | null {
  const lines = descriptor.split('\n').map((l) => l.trim());
  const createType = /^createType\s*=\s*"([^"]*)"/m.exec(descriptor)?.[1];
  if (createType !== 'monolithicSparse' && createType !== 'streamOptimized') return `its type is ${JSON.stringify(createType ?? 'missing').slice(0, 60)}, not monolithicSparse or streamOptimized`;
  if (lines.some((l) => /^parentFileNameHint\s*=/.test(l))) return 'it names a parent disk';
  const extents = lines.filter((l) => /^(RW|RDONLY|NOACCESS)\s/.test(l));
  if (extents.length !== 1) return `it has ${extents.length} extents`;
  return null;
}

/** A VHD footer's current size (bytes 48..55); a differencing VHD names a parent file and is refused. */
function vhdVirtualSize(head: Buffer, end: UploadEnd | null): number | null {
  const footer = startsWith(head, 0, VHD_COOKIE) ? head : end?.tail;
  if (!footer || footer.length < 64) return null;
  if (footer.readUInt32BE(60) === 4) throw badRequest('Image data is a differencing VHD that names a parent disk, which is not allowed; merge it into a standalone VHD first.');
  return end ? safeNumber(footer.readBigUInt64BE(48)) : null;
}

/** ISO 9660 volume space size (blocks, little-endian half of a both-endian field) times the logical block size. */
function isoVirtualSize(head: Buffer): number | null {
  if (head.length < ISO_PVD + 132) return null;
  return head.readUInt32LE(ISO_PVD + 80) * head.readUInt16LE(ISO_PVD + 128);
}
