// Renders a believable serial console (kernel, systemd, cloud-init, login prompt) from power events.
import type { ConsoleEvent, FakeInstance } from './fake-state';

const CLOUD_INIT = 'Cloud-init v. 23.1.1';

/** Small stable hash so each instance boots with its own (but repeatable) timings. */
function jitter(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return ((h >>> 0) % 1000) / 1000;
}

const stamp = (seconds: number) => `[${seconds.toFixed(6).padStart(12, ' ')}]`;
const ciDate = (iso: string) => new Date(iso).toUTCString().replace('GMT', '+0000');

function bootLines(inst: FakeInstance, ev: ConsoleEvent, firstBoot: boolean): string[] {
  const j = jitter(inst.id + ev.at);
  const up = (s: number) => (s + j).toFixed(2);
  const lines = [
    `${stamp(0)} Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1`,
    `${stamp(0)} Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/vda1 ro console=tty0 console=ttyS0,115200`,
    `${stamp(0)} Hypervisor detected: KVM`,
    `${stamp(0.012 + j / 100)} smpboot: Allowing ${inst.vcpus} CPUs, 0 hotplug CPUs`,
    `${stamp(0.118 + j / 10)} Memory: ${inst.memoryMb * 1024 - 61_440}K/${inst.memoryMb * 1024}K available`,
    `${stamp(1.024 + j)} virtio_blk virtio1: [vda] ${inst.diskGb * 2_097_152} 512-byte logical blocks (${(inst.diskGb * 1.073741824).toFixed(1)} GB/${inst.diskGb}.0 GiB)`,
    `${stamp(1.512 + j)} EXT4-fs (vda1): mounted filesystem with ordered data mode. Quota mode: none.`,
    `${stamp(2.203 + j)} systemd[1]: Hostname set to <${inst.hostname}>.`,
    `${CLOUD_INIT} running 'init' at ${ciDate(ev.at)}. Up ${up(4.1)} seconds.`,
    `ci-info: ++++++++++++++++++++++++++++++++Net device info+++++++++++++++++++++++++++++++++`,
    `ci-info: | Device |  Up  |   Address    |     Mask      | Scope  |     Hw-Address    |`,
    ...inst.nics.map((n, i) => `ci-info: | eth${i}   | True | ${(n.ip ?? '.').padEnd(12)} | 255.255.255.0 | global | ${n.mac} |`),
  ];
  if (firstBoot) {
    lines.push(
      `Generating public/private ed25519 key pair.`,
      `${CLOUD_INIT} running 'modules:config' at ${ciDate(ev.at)}. Up ${up(5.2)} seconds.`,
      inst.publicKeyCount > 0
        ? `ci-info: ${inst.publicKeyCount} authorized SSH key(s) installed for user debian`
        : `ci-info: no authorized SSH keys fingerprints found for user debian.`,
    );
  }
  lines.push(
    `${CLOUD_INIT} running 'modules:final' at ${ciDate(ev.at)}. Up ${up(6.3)} seconds.`,
    `${CLOUD_INIT} finished at ${ciDate(ev.at)}. Datasource ${inst.guest?.datasource === 'nocloud' ? 'DataSourceNoCloud [seed=/dev/sr0][dsmode=net]' : 'DataSourceConfigDrive [net,ver=2][source=/dev/sr0]'}.  Up ${up(6.5)} seconds`,
    '',
    `Debian GNU/Linux 12 ${inst.hostname} ttyS0`,
    '',
    `${inst.hostname} login: `,
  );
  return lines;
}

function stopLines(kind: 'shutdown' | 'restart', uptime: number): string[] {
  return [
    `[  OK  ] Stopped target multi-user.target - Multi-User System.`,
    `[  OK  ] Stopped ssh.service - OpenBSD Secure Shell server.`,
    `[  OK  ] Finished systemd-poweroff.service - System ${kind === 'shutdown' ? 'Power Off' : 'Reboot'}.`,
    `[  OK  ] Reached target ${kind === 'shutdown' ? 'poweroff.target - System Power Off' : 'reboot.target - System Reboot'}.`,
    `${stamp(uptime)} reboot: ${kind === 'shutdown' ? 'Power down' : 'Restarting system'}`,
  ];
}

/** Every line the instance has written to its serial console, oldest first. */
export function renderConsole(inst: FakeInstance): string[] {
  const out: string[] = [];
  let lastBoot: string | null = null;
  let boots = 0;
  for (const ev of inst.events) {
    if (ev.kind === 'boot') {
      out.push(...bootLines(inst, ev, boots === 0));
      boots++;
      lastBoot = ev.at;
    } else {
      const uptime = lastBoot ? Math.max(7, (Date.parse(ev.at) - Date.parse(lastBoot)) / 1000) : 7;
      out.push(...stopLines(ev.kind, uptime));
    }
  }
  return out;
}
