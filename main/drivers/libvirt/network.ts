// Makes sure the libvirt network an instance NIC names is defined, started and autostarted
// (autostart, so the host brings it back by itself after a reboot while the desk sleeps).
import { DeskError } from '../../core/errors';
import type { Executor } from '../executor/executor';
import type { OpContext } from '../types';
import type { Virsh } from './virsh';

/** Debian's libvirt ships the NAT network `default` here. */
const DEFAULT_NETWORK_XML = '/usr/share/libvirt/networks/default.xml';

export async function ensureNetwork(executor: Executor, virsh: Virsh, hostName: string, name: string, op: OpContext): Promise<void> {
  let info = await virsh.run(['net-info', name], op);
  if (info.code !== 0 && /network not found|no network with matching/i.test(info.stderr)) {
    if (name !== 'default') {
      throw new DeskError('NotFound', `host ${hostName}: libvirt network "${name}" does not exist — provision the host's networks again`);
    }
    op.log?.(`defining libvirt network default on host ${hostName}`);
    await executor.runChecked(['virsh', '-c', 'qemu:///system', 'net-define', DEFAULT_NETWORK_XML], { signal: op.signal, hint: 'install libvirt-daemon-system (it ships the default network)' });
    info = await virsh.run(['net-info', name], op);
  }
  if (info.code !== 0) throw virsh.failed(['net-info', name], info);
  const field = (k: string): string => new RegExp(`^${k}:\\s*(\\S+)`, 'mi').exec(info.stdout)?.[1]?.toLowerCase() ?? '';
  if (field('Active') !== 'yes') {
    op.log?.(`starting libvirt network ${name} on host ${hostName}`);
    const r = await virsh.run(['net-start', name], op);
    if (r.code !== 0 && !/already active/i.test(r.stderr)) throw virsh.failed(['net-start', name], r);
  }
  if (field('Autostart') !== 'yes') await virsh.checked(['net-autostart', name], undefined, op);
}
