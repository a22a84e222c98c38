// Preflight verdicts from what real hosts print: os-release, cpuinfo, meminfo, df, virsh, dpkg-query.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportFromOutput } from '../../main/hosts/preflight';
import {
  checkCommands,
  checkCpuVirt,
  checkDisk,
  checkKvm,
  checkLibvirt,
  checkMemory,
  checkOs,
  checkPackages,
  checkPrivileges,
  parseCommands,
  parseCpuFlags,
  parseDf,
  parseDpkgStatus,
  parseLibvirt,
  parseMeminfo,
  parseOsRelease,
  virtTypeFrom,
  type PreflightCheck,
} from '../../main/hosts/preflight-parse';

const DEBIAN_12 = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
`;
const UBUNTU_2404 = `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
ID=ubuntu
ID_LIKE=debian
`;
const FEDORA = `NAME="Fedora Linux"
VERSION_ID=40
ID=fedora
PRETTY_NAME="Fedora Linux 40 (Workstation Edition)"
`;
const CPU_INTEL = `processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz
flags		: fpu vme de pse tsc msr pae mce cx8 apic sep vmx smx est
`;
const CPU_AMD = `model name	: AMD Ryzen 7 5800X 8-Core Processor
flags		: fpu vme de pse svm extapic
`;
const CPU_NONE = `model name	: AMD EPYC
flags		: fpu vme de pse hypervisor
`;
const MEMINFO = `MemTotal:       16318164 kB
MemFree:         1234567 kB
MemAvailable:   12000000 kB
`;

/** Every warn and fail carries a fix hint. */
function assertFixes(checks: PreflightCheck[]): void {
  for (const c of checks) if (c.status !== 'pass') assert.ok(c.fix && c.fix.length > 10, `${c.id} (${c.status}) has a fix`);
}

describe('preflight parsing', () => {
  it('supports Debian 12/13 and Ubuntu 22.04/24.04, refuses others with a message', () => {
    const deb = parseOsRelease(DEBIAN_12);
    assert.deepEqual([deb.id, deb.versionId, deb.prettyName], ['debian', '12', 'Debian GNU/Linux 12 (bookworm)']);
    assert.equal(checkOs(deb).status, 'pass');
    assert.equal(checkOs(parseOsRelease(DEBIAN_12.replace('VERSION_ID="12"', 'VERSION_ID="13"'))).status, 'pass');
    assert.equal(checkOs(parseOsRelease(UBUNTU_2404)).status, 'pass');
    assert.equal(checkOs(parseOsRelease(UBUNTU_2404.replace('24.04', '22.04'))).status, 'pass');
    const ubuntu20 = checkOs(parseOsRelease(UBUNTU_2404.replace('VERSION_ID="24.04"', 'VERSION_ID="20.04"')));
    assert.equal(ubuntu20.status, 'fail');
    const fedora = checkOs(parseOsRelease(FEDORA));
    assert.equal(fedora.status, 'fail');
    assert.match(fedora.detail, /Fedora Linux 40.*not supported/);
    assert.match(fedora.fix!, /Debian 12\/13 or Ubuntu 22.04\/24.04/);
    const unknown = checkOs(parseOsRelease(''));
    assert.equal(unknown.status, 'fail');
    assertFixes([ubuntu20, fedora, unknown]);
  });

  it('needs root or passwordless sudo', () => {
    assert.equal(checkPrivileges(0, 'root', 'root').status, 'pass');
    assert.equal(checkPrivileges(1000, 'yes', 'ops').status, 'pass');
    const no = checkPrivileges(1000, 'no', 'ops');
    assert.equal(no.status, 'fail');
    assert.match(no.fix!, /ops ALL=\(ALL\) NOPASSWD:ALL/);
  });

  it('reads vmx/svm and chooses kvm only with a usable /dev/kvm', () => {
    const intel = parseCpuFlags(CPU_INTEL);
    assert.deepEqual(intel, { vmx: true, svm: false, model: 'Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz' });
    assert.equal(checkCpuVirt(intel).status, 'pass');
    assert.equal(checkCpuVirt(parseCpuFlags(CPU_AMD)).status, 'pass');
    const none = checkCpuVirt(parseCpuFlags(CPU_NONE));
    assert.equal(none.status, 'warn');
    assert.match(none.detail, /software emulation/);
    assert.equal(virtTypeFrom(intel, 'usable'), 'kvm');
    assert.equal(virtTypeFrom(intel, 'not-a-device'), 'qemu');
    assert.equal(virtTypeFrom(parseCpuFlags(CPU_NONE), 'usable'), 'qemu');
    assert.equal(checkKvm('usable').status, 'pass');
    const kvm = (['unopenable', 'not-a-device', 'absent'] as const).map(checkKvm);
    for (const c of kvm) {
      assert.equal(c.status, 'warn');
      assert.match(c.detail, /type='qemu'/);
    }
    assertFixes([none, ...kvm]);
  });

  it('grades memory and disk space with fixes', () => {
    assert.deepEqual(parseMeminfo(MEMINFO), { totalMb: 15935, availableMb: 11718 });
    assert.equal(checkMemory({ totalMb: 15935 }).status, 'pass');
    assert.equal(checkMemory({ totalMb: 2048 }).status, 'warn');
    assert.equal(checkMemory({ totalMb: 512 }).status, 'fail');
    const disk = parseDf('/var/lib\n/dev/sda2       102687672 24501716  73000000  26% /\n');
    assert.deepEqual(disk, { path: '/var/lib', mount: '/', sizeMb: 100280, availableMb: 71289 });
    assert.equal(checkDisk(disk).status, 'pass');
    assert.equal(checkDisk({ ...disk!, availableMb: 10_000 }).status, 'warn');
    const full = checkDisk({ ...disk!, availableMb: 1000 });
    assert.equal(full.status, 'fail');
    assert.match(full.fix!, /Free space on \//);
    assert.equal(checkDisk(parseDf('garbage')).status, 'fail');
    assertFixes([checkMemory({ totalMb: 2048 }), checkMemory({ totalMb: 0 }), full]);
  });

  it('reports libvirt installed, running or absent', () => {
    const running = parseLibvirt('libvirtd (libvirt) 9.0.0', 'exit=0\nCompiled against library: libvirt 9.0.0\nRunning against daemon: 9.0.0');
    assert.deepEqual(running, { installedVersion: '9.0.0', running: true, daemonVersion: '9.0.0', error: null });
    assert.equal(checkLibvirt(running).status, 'pass');
    const stopped = parseLibvirt('libvirtd (libvirt) 9.0.0', "exit=1\nerror: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory");
    assert.equal(stopped.running, false);
    const c = checkLibvirt(stopped);
    assert.equal(c.status, 'warn');
    assert.match(c.detail, /not answering: .*libvirt-sock/);
    const absent = checkLibvirt(parseLibvirt('absent', 'absent'));
    assert.equal(absent.status, 'warn');
    assert.match(absent.detail, /not installed/);
    assertFixes([c, absent]);
  });

  it('lists missing packages and commands', () => {
    const installed = parseDpkgStatus('qemu-system-x86 installed\nqemu-utils installed\nlibvirt-clients config-files\ngenisoimage installed\n');
    assert.deepEqual([...installed].sort(), ['genisoimage', 'qemu-system-x86', 'qemu-utils']);
    const pk = checkPackages(installed);
    assert.equal(pk.status, 'warn');
    assert.match(pk.detail, /libvirt-daemon-system, libvirt-clients, dnsmasq-base/);
    const base = 'sh yes\napt-get yes\ndpkg-query yes\nmkdir yes\ndf yes\ntimeout yes\n';
    assert.equal(checkCommands(parseCommands(`${base}virsh yes\nqemu-img yes\nqemu-system-x86_64 yes\ngenisoimage yes`)).status, 'pass');
    assert.equal(checkCommands(parseCommands(`${base}virsh no`)).status, 'warn');
    const noApt = checkCommands(parseCommands(base.replace('apt-get yes', 'apt-get no')));
    assert.equal(noApt.status, 'fail');
    assertFixes([pk, noApt]);
  });

  it('builds a whole report from the gather script output', () => {
    const out = [
      '@@os-release@@', DEBIAN_12, '@@uid@@', '0', '@@user@@', 'root', '@@sudo@@', 'root', '@@cpu@@', CPU_NONE,
      '@@nproc@@', '4', '@@meminfo@@', MEMINFO, '@@kvm@@', 'not-a-device', '@@df@@', '/var/lib/deskstack', '/dev/vda 264212084 24501716 81889196 24% /',
      '@@libvirtd@@', 'libvirtd (libvirt) 9.0.0', '@@virsh@@', 'exit=0', 'Running against daemon: 9.0.0',
      '@@packages@@', 'qemu-system-x86 installed\nqemu-utils installed\nlibvirt-daemon-system installed\nlibvirt-clients installed\ndnsmasq-base installed\ngenisoimage installed',
      '@@commands@@', 'sh yes\napt-get yes\ndpkg-query yes\nmkdir yes\ndf yes\ntimeout yes\nsystemctl no\nvirsh yes\nqemu-img yes\nqemu-system-x86_64 yes\ngenisoimage yes',
      '@@init@@', 'sh', '@@hostname@@', 'rack-h1',
    ].join('\n');
    const r = reportFromOutput(out, 'root@10.0.0.5:22', '2024-01-01T00:00:00.000Z');
    assert.equal(r.ok, true);
    assert.equal(r.virtType, 'qemu');
    assert.equal(r.needsSudo, false);
    assert.deepEqual([r.vcpus, r.memoryMb, r.hostname, r.init, r.libvirtVersion], [4, 15935, 'rack-h1', 'sh', '9.0.0']);
    assert.deepEqual(r.missingPackages, []);
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
    assert.deepEqual(byId, { os: 'pass', privileges: 'pass', 'cpu-virt': 'warn', kvm: 'warn', memory: 'pass', disk: 'pass', libvirt: 'pass', packages: 'pass', commands: 'pass' });
    const fedora = reportFromOutput(out.replace(DEBIAN_12, FEDORA), 'x');
    assert.equal(fedora.ok, false, 'an unsupported OS fails the report');
  });
});
