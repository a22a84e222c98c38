// Tells integration tests whether this machine can run the test rack, and if not, why (for a skip message).
import { existsSync } from 'node:fs';
import { runSync } from './run';

const NEEDED: [string, string][] = [
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/sbin/libvirtd', 'libvirt-daemon-system'],
  ['/usr/sbin/virtlogd', 'libvirt-daemon-system'],
  ['/usr/bin/virsh', 'libvirt-clients'],
  ['/usr/bin/qemu-system-x86_64', 'qemu-system-x86'],
  ['/usr/bin/qemu-img', 'qemu-utils'],
  ['/usr/sbin/dnsmasq', 'dnsmasq-base'],
  ['/usr/bin/genisoimage', 'genisoimage'],
  ['/usr/bin/unshare', 'util-linux'],
  ['/usr/bin/nsenter', 'util-linux'],
  ['/usr/bin/ssh-keygen', 'openssh-client'],
  ['/usr/bin/openssl', 'openssl'],
  ['/usr/sbin/iptables', 'iptables'],
];

const NEEDED_FOR_IMAGE: [string, string][] = [
  ['/usr/bin/busybox', 'busybox-static'],
  ['/usr/bin/cpio', 'cpio'],
  ['/usr/sbin/mkfs.vfat', 'dosfstools'],
  ['/usr/bin/syslinux', 'syslinux'],
  ['/usr/bin/mcopy', 'mtools'],
];

/** undefined when the rack can run here; otherwise a sentence saying what is missing. */
export function rackUnavailableReason(opts: { guestImage?: boolean } = {}): string | undefined {
  if (process.platform !== 'linux') return 'the test rack needs Linux';
  if (process.getuid?.() !== 0) return 'the test rack needs root (network namespaces and bind mounts)';
  if (runSync(['ip', 'netns', 'list']).code !== 0) return '`ip netns` is unavailable (install iproute2)';
  const needed = opts.guestImage ? [...NEEDED, ...NEEDED_FOR_IMAGE] : NEEDED;
  const missing = needed.filter(([path]) => !existsSync(path)).map(([, pkg]) => pkg);
  if (missing.length > 0) return `missing Debian packages: ${[...new Set(missing)].join(' ')} (apt-get install them)`;
  return undefined;
}
