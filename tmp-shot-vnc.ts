import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { startRack } from './test/rack/rack';
import { buildGuestImage } from './test/rack/guest-image';
const guest = await buildGuestImage();
const rack = await startRack({ hosts: 1 });
const host = rack.hosts[0];
const dataDir = mkdtempSync('/tmp/ds-shot-');
const child = spawn(process.execPath, ['bin/deskstack.mjs', 'serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir], { cwd: '/work/main', env: { ...process.env, DESKSTACK_ADMIN_PASSWORD: 'shot-pass-123' } });
let out = '';
const url = await new Promise<string>((r) => child.stdout.on('data', (d) => { out += d; const m = out.match(/ready at (http:\/\/\S+)/); if (m) r(m[1]); }));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
try {
  const login = await (await fetch(`${url}/api/rpc/authLogin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'shot-pass-123' }) })).json();
  const token = login.token;
  const rpc = async (m: string, i: unknown) => { const r = await fetch(`${url}/api/rpc/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify(i) }); const b = await r.json(); if (!r.ok) throw new Error(`${m}: ${JSON.stringify(b)}`); return b; };
  const probe = await rpc('hostProbe', { address: host.ip, port: 22 });
  const added = await rpc('hostAdd', { address: host.ip, port: 22, user: 'root', auth: { password: host.password }, hostKeyFingerprint: probe.fingerprint });
  const hid = added.host.id;
  for (let i = 0; i < 200; i++) { const d = await rpc('hostGet', { id: hid }); if (d.preflight) break; await sleep(300); }
  await rpc('hostProvision', { id: hid });
  for (let i = 0; i < 600; i++) { const d = await rpc('hostGet', { id: hid }); if (d.provisionState === 'ready') break; await sleep(500); }
  const img = await (await fetch(`${url}/image/v2/images`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': token }, body: JSON.stringify({ name: 'rack-guest', disk_format: 'qcow2', container_format: 'bare' }) })).json();
  await fetch(`${url}/image/v2/images/${img.id}/file`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'x-auth-token': token }, body: readFileSync(guest.path) });
  const [srv] = await rpc('serverCreate', { name: 'vnc-vm', imageId: img.id, flavorId: '1' });
  for (let i = 0; i < 600; i++) { const s = await rpc('serverGet', { id: srv.id }); if (s.status === 'ACTIVE' || s.status === 'ERROR') { console.log('status', s.status, s.fault); break; } await sleep(500); }
  await page.goto(url);
  await page.evaluate((t) => localStorage.setItem('deskstack.token', t), token);
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('navigation').getByRole('button', { name: 'Instances' }).click();
  await page.getByText('vnc-vm').first().click();
  await page.getByRole('tab', { name: 'Console' }).click();
  await page.getByRole('tab', { name: 'Graphical (VNC)' }).click();
  await page.getByText('Connected', { exact: true }).waitFor({ timeout: 30000 });
  await sleep(8000);
  await page.screenshot({ path: '/tmp/shots/vnc-real.png' });
  console.log('ctrl-alt-del enabled:', await page.getByRole('button', { name: 'Ctrl-Alt-Del' }).isEnabled());
} catch (e) { console.log('FAILED', e); await page.screenshot({ path: '/tmp/shots/vnc-real-fail.png' }); }
finally {
  await browser.close();
  child.kill('SIGTERM');
  await rack.stop();
}
