// The demo rack's live serial console: replays what the guest has written, then behaves like an
// autologin root shell on ttyS0 with a handful of commands, so the UI's terminal works without a host.
import { Duplex } from 'node:stream';
import type { FakeInstance } from './fake-state';
import { renderConsole } from './console-log';

/** How the console sees its instance: the current object, or null once it was destroyed. */
export type InstanceLookup = () => FakeInstance | null;

// Power changes and reboots show up on an open console within this long.
const WATCH_MS = 400;
const MAX_LINE = 4096;

const crlf = (lines: string[]): string => lines.join('\r\n');

function uptime(inst: FakeInstance): string {
  const boot = [...inst.events].reverse().find((e) => e.kind === 'boot');
  const secs = boot ? Math.max(0, Math.floor((Date.now() - Date.parse(boot.at)) / 1000)) : 0;
  const now = new Date().toISOString().slice(11, 19);
  const mins = Math.floor(secs / 60);
  const up = mins >= 60 ? `${Math.floor(mins / 60)}:${String(mins % 60).padStart(2, '0')}` : `${mins} min`;
  return ` ${now} up ${up},  1 user,  load average: 0.00, 0.01, 0.00`;
}

function ipAddr(inst: FakeInstance): string[] {
  const out = [
    '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
    '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    '    inet 127.0.0.1/8 scope host lo',
  ];
  inst.nics.forEach((n, i) => {
    out.push(
      `${i + 2}: eth${i}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000`,
      `    link/ether ${n.mac} brd ff:ff:ff:ff:ff:ff`,
    );
    if (n.ip) out.push(`    inet ${n.ip}/24 brd ${n.ip.replace(/\.\d+$/, '.255')} scope global dynamic eth${i}`);
  });
  return out;
}

/** What the simulated shell prints for one command line (without the prompt). */
export function runFakeCommand(inst: FakeInstance, line: string): string[] | 'clear' {
  const [cmd = '', ...args] = line.trim().split(/\s+/);
  switch (cmd) {
    case '':
      return [];
    case 'help':
      return ['This is the demo rack\'s simulated shell. Commands: hostname, uptime, ip a, uname -a, whoami, date, free -m, df -h, cat /etc/os-release, echo, clear, help.'];
    case 'hostname':
      return [inst.hostname];
    case 'uptime':
      return [uptime(inst)];
    case 'ip':
      return args[0] === 'a' || args[0] === 'addr' || args[0] === 'address' ? ipAddr(inst) : ['Usage: ip a   (the demo shell knows only "ip a")'];
    case 'uname':
      return [args.includes('-a') ? `Linux ${inst.hostname} 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux` : 'Linux'];
    case 'whoami':
      return ['root'];
    case 'date':
      return [new Date().toUTCString().replace('GMT', 'UTC')];
    case 'free':
      return [
        '               total        used        free      shared  buff/cache   available',
        `Mem:   ${String(inst.memoryMb - 60).padStart(13)} ${String(96).padStart(11)} ${String(inst.memoryMb - 220).padStart(11)}           0          64 ${String(inst.memoryMb - 130).padStart(11)}`,
      ];
    case 'df':
      return ['Filesystem      Size  Used Avail Use% Mounted on', `/dev/vda1       ${`${inst.diskGb}G`.padEnd(5)} 1.1G ${`${Math.max(0, inst.diskGb - 1.1).toFixed(1)}G`.padEnd(5)}  ${Math.min(99, Math.round((110 / inst.diskGb) || 0))}% /`];
    case 'cat':
      return args[0] === '/etc/os-release' ? ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"', 'NAME="Debian GNU/Linux"', 'VERSION_ID="12"', 'ID=debian'] : [`cat: ${args[0] ?? ''}: No such file or directory`];
    case 'echo':
      return [args.join(' ')];
    case 'clear':
      return 'clear';
    default:
      return [`-bash: ${cmd}: command not found`];
  }
}

/**
 * A Duplex for the instance's serial port: the log so far, then an autologin shell that echoes
 * keystrokes (backspace, Ctrl-C, Ctrl-U) and answers commands. New boot lines are pushed as they
 * appear; the stream ends when the guest powers off or is destroyed. Destroying it detaches only.
 */
export function openFakeSerial(lookup: InstanceLookup): Duplex {
  const first = lookup();
  let shown = first ? renderConsole(first).length : 0;
  let line = '';
  let ended = false;

  const prompt = (inst: FakeInstance): string => `root@${inst.hostname}:~# `;
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      const inst = lookup();
      if (ended || !inst || inst.powerState !== 'running') {
        done();
        return;
      }
      let out = '';
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          const result = runFakeCommand(inst, line);
          line = '';
          out += result === 'clear' ? '\x1b[H\x1b[2J' : `\r\n${result.map((l) => `${l}\r\n`).join('')}`;
          out += prompt(inst);
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            out += '\b \b';
          }
        } else if (ch === '\x03') {
          line = '';
          out += `^C\r\n${prompt(inst)}`;
        } else if (ch === '\x15') {
          out += '\b \b'.repeat(line.length);
          line = '';
        } else if (ch >= ' ' && line.length < MAX_LINE) {
          line += ch;
          out += ch;
        }
      }
      if (out) stream.push(out);
      done();
    },
    destroy(err, cb) {
      ended = true;
      clearInterval(watch);
      cb(err);
    },
  });

  const finish = (why: string): void => {
    if (ended) return;
    ended = true;
    clearInterval(watch);
    stream.push(`\r\n[${why}]\r\n`);
    stream.push(null);
  };

  // Poll the rack (in memory, cheap): reboots add lines, a power-off or destroy ends the session.
  const watch = setInterval(() => {
    const inst = lookup();
    if (!inst) return finish('the instance is gone or its host stopped answering; console closed');
    const lines = renderConsole(inst);
    if (lines.length > shown) {
      stream.push(`\r\n${crlf(lines.slice(shown))}`);
      shown = lines.length;
      if (inst.powerState === 'running') stream.push(`\r\n${autologin(inst)}${prompt(inst)}`);
    } else if (lines.length < shown) shown = lines.length;
    if (inst.powerState !== 'running') finish('the guest is powered off; console closed');
  }, WATCH_MS);
  watch.unref();

  const autologin = (inst: FakeInstance): string => `root@${inst.hostname} (automatic login on ttyS0)\r\nType "help" for the commands of this demo shell.\r\n\r\n`;
  if (first) {
    const replay = renderConsole(first);
    // The last line is the getty's "login:" prompt; autologin answers it.
    stream.push(`${crlf(replay)}\r\n${first.powerState === 'running' ? autologin(first) + prompt(first) : ''}`);
  }
  return stream;
}
