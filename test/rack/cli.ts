// Developer entry point for the test rack (needs root):
//   node bin/tsx-run.mjs test/rack/cli.ts up [N] [--name NAME]   start N hosts (default 2), print them as JSON, stay up until Ctrl-C
//   node bin/tsx-run.mjs test/rack/cli.ts down [NAME]            tear down rack NAME, or every rack's leftovers
//   node bin/tsx-run.mjs test/rack/cli.ts list                   names of racks that exist
import { startRack } from './rack';
import { findRacks, processRunning, teardownAll, teardownRack } from './teardown';

function usage(): never {
  console.error('usage: cli.ts up [N] [--name NAME] | down [NAME] | list');
  process.exit(2);
}

async function up(args: string[]): Promise<void> {
  let hosts = 2;
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--name') name = args[++i] ?? usage();
    else if (a !== undefined && /^\d+$/.test(a)) hosts = Number(a);
    else usage();
  }
  const started = Date.now();
  const rack = await startRack({ hosts, name });
  const out = {
    name: rack.name,
    bridge: rack.bridge,
    bridgeIp: rack.bridgeIp,
    privateKeyPath: rack.privateKeyPath,
    knownHostsPath: rack.knownHostsPath,
    upMs: Date.now() - started,
    // the rack's throwaway root password, printed on purpose: it only opens this rack's hosts
    hosts: rack.hosts.map(({ name: n, ip, port, user, privateKeyPath, password, hostKeyFingerprint, pid, dir }) => ({
      name: n, ip, port, user, privateKeyPath, password, hostKeyFingerprint, pid, dir,
    })),
  };
  console.log(JSON.stringify(out, null, 2));
  console.error(`rack ${rack.name} is up; Ctrl-C (or \`cli.ts down ${rack.name}\`) tears it down`);
  const finish = (): void => {
    void rack.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  // Stay alive until a signal, or until `down` from another terminal removes the rack.
  const timer = setInterval(() => {
    if (!findRacks().includes(rack.name) || rack.hosts.some((h) => !processRunning(h.pid))) {
      clearInterval(timer);
      console.error(`rack ${rack.name} went away; cleaning up`);
      finish();
    }
  }, 1000);
}

const [cmd, ...rest] = process.argv.slice(2);
if (process.getuid?.() !== 0) {
  console.error('the test rack needs root');
  process.exit(1);
}
try {
  if (cmd === 'up') await up(rest);
  else if (cmd === 'down') {
    const removed = rest[0] ? (teardownRack(rest[0]), [rest[0]]) : teardownAll();
    console.log(removed.length ? `removed: ${removed.join(' ')}` : 'no rack found');
  } else if (cmd === 'list') console.log(findRacks().join('\n'));
  else usage();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
