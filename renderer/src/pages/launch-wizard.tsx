import { useMemo, useState, type ReactElement } from 'react';
import type { FlavorView, HostView, ImageView } from '../../../main/api/contract/index';
import { asClientError, client } from '../api/client';
import { Dialog } from '../components/dialog';
import { formatBytes, formatRam } from '../components/meter';
import { selectFlavors, selectHosts, selectImages, selectKeypairs, selectNetworks, useData } from '../stores/data';
import { selectIsAdmin, useSession } from '../stores/session';
import { upsertServers } from '../stores/sync';
import { navigate, toast, useUi } from '../stores/ui';
import { validateUserData } from './user-data';

const STEPS = ['Details', 'Source & size', 'Network & access', 'Review'];
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;

/** How many instances of this flavor the hosts could still take (within their overcommit limits). */
function fitsOn(hosts: HostView[], f: FlavorView): number {
  let n = 0;
  for (const h of hosts) {
    if (h.state !== 'up' || !h.enabled) continue;
    const cpu = Math.floor((h.vcpus * h.cpuAllocationRatio - h.usage.vcpusUsed) / Math.max(1, f.vcpus));
    const ram = Math.floor((h.ramMb * h.ramAllocationRatio - h.usage.ramMbUsed) / Math.max(1, f.ramMb));
    const disk = f.diskGb > 0 ? Math.floor((h.diskGb * h.diskAllocationRatio - h.usage.diskGbUsed) / f.diskGb) : Infinity;
    n += Math.max(0, Math.min(cpu, ram, disk));
  }
  return n;
}

function imageFit(img: ImageView | undefined, f: FlavorView): string | null {
  if (!img) return null;
  if (img.minRam > f.ramMb) return `needs ≥ ${formatRam(img.minRam)} RAM for ${img.name}`;
  if (img.minDisk > f.diskGb && f.diskGb > 0) return `needs ≥ ${img.minDisk} GB disk for ${img.name}`;
  return null;
}

export function LaunchWizard({ onClose }: { onClose: () => void }): ReactElement {
  const images = useData(selectImages);
  const flavors = useData(selectFlavors);
  const networks = useData(selectNetworks);
  const keypairs = useData(selectKeypairs);
  const hosts = useData(selectHosts);
  const isAdmin = useSession(selectIsAdmin);
  const activeImages = useMemo(() => images.filter((i) => i.status === 'active'), [images]);
  const sortedFlavors = useMemo(() => [...flavors].sort((a, b) => a.vcpus - b.vcpus || a.ramMb - b.ramMb), [flavors]);

  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [count, setCount] = useState(1);
  const [imageId, setImageId] = useState(() => activeImages.find((i) => /cirros/i.test(i.name))?.id ?? activeImages[0]?.id ?? '');
  const [flavorId, setFlavorId] = useState(() => sortedFlavors.find((f) => f.name === 'm1.small')?.id ?? sortedFlavors[0]?.id ?? '');
  const [networkId, setNetworkId] = useState(() => networks.find((n) => n.name === 'private')?.id ?? networks.find((n) => !n.external)?.id ?? '');
  const [keyName, setKeyName] = useState('');
  const [userData, setUserData] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const image = images.find((i) => i.id === imageId);
  const flavor = flavors.find((f) => f.id === flavorId);
  const network = networks.find((n) => n.id === networkId);
  const nameError = !name ? null : name.length > 255 ? 'At most 255 characters.' : !NAME_RE.test(name) ? 'Start with a letter or digit; then letters, digits, spaces, . _ -' : null;
  const userDataError = validateUserData(userData);
  const valid = [Boolean(name) && !nameError && count >= 1 && count <= 50, Boolean(imageId && flavorId), !userDataError, true];

  async function create(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const created = await client.call('serverCreate', {
        name,
        imageId,
        flavorId,
        networkIds: networkId ? [networkId] : [],
        count,
        ...(keyName ? { keyName } : {}),
        ...(userData.trim() ? { userData } : {}),
      });
      upsertServers(created);
      toast('success', count > 1 ? `Launching ${count} instances` : `Launching ${name}`, 'Follow the build in Tasks.');
      navigate('instances');
      useUi.setState({ selectedServerId: created[0]?.id ?? null });
      onClose();
    } catch (err) {
      setError(asClientError(err).message);
      setBusy(false);
    }
  }

  const next = () => (step < STEPS.length - 1 ? setStep(step + 1) : void create());

  return (
    <Dialog
      title={`Launch instance — ${STEPS[step]}`}
      onClose={onClose}
      wide
      steps={{ at: step, of: STEPS.length }}
      footer={
        <>
          <span className="left">Step {step + 1} of {STEPS.length}</span>
          {step > 0 && <button className="btn" onClick={() => setStep(step - 1)} disabled={busy}>Back</button>}
          <button className="btn primary" disabled={!valid[step] || busy} onClick={next}>
            {busy ? <span className="spinner" /> : null} {step === STEPS.length - 1 ? (count > 1 ? `Create ${count} instances` : 'Create') : 'Next'}
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => e.preventDefault()}
        onKeyDown={(e) => {
          // Enter in a field moves on (the buttons live in the dialog footer, outside the form).
          if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
            e.preventDefault();
            if (valid[step] && !busy) next();
          }
        }}
        style={{ display: 'flex', flexDirection: 'column', gap: 14 }}
      >
        {step === 0 && (
          <>
            <label className="field">
              <span>Name</span>
              <input name="name" value={name} aria-invalid={Boolean(nameError)} onChange={(e) => setName(e.target.value)} placeholder="web-1" autoFocus />
              {nameError ? <span className="error-text">{nameError}</span> : <span className="hint">With a count above 1, instances are named name-1, name-2, …</span>}
            </label>
            <label className="field" style={{ maxWidth: 160 }}>
              <span>Count</span>
              <input name="count" type="number" min={1} max={50} value={count} onChange={(e) => setCount(Math.max(1, Math.min(50, Number(e.target.value) || 1)))} />
            </label>
          </>
        )}
        {step === 1 && (
          <>
            <div className="field">
              <span className="hint" style={{ fontWeight: 550, color: 'var(--text-2)' }}>Image</span>
              {activeImages.length === 0 ? (
                <div className="callout amber">No active image yet: upload one on the Images page first.</div>
              ) : (
                <div className="choice-list" role="radiogroup" aria-label="Image">
                  {activeImages.map((i) => (
                    <button type="button" key={i.id} role="radio" aria-checked={i.id === imageId} className={`choice${i.id === imageId ? ' on' : ''}`} onClick={() => setImageId(i.id)}>
                      <b>{i.name}</b>
                      <span className="tag">{i.diskFormat}</span>
                      <span className="meta">{formatBytes(i.size)}</span>
                    </button>
                  ))}
                </div>
              )}
            </div>
            <div className="field">
              <span className="hint" style={{ fontWeight: 550, color: 'var(--text-2)' }}>Flavor</span>
              <div className="choice-list" role="radiogroup" aria-label="Flavor">
                {sortedFlavors.map((f) => {
                  const fits = isAdmin && hosts.length ? fitsOn(hosts, f) : null;
                  const imgProblem = imageFit(image, f);
                  const bad = imgProblem !== null || fits === 0;
                  return (
                    <button type="button" key={f.id} role="radio" aria-checked={f.id === flavorId} className={`choice${f.id === flavorId ? ' on' : ''}${bad ? ' disabled' : ''}`} onClick={() => setFlavorId(f.id)}>
                      <b style={{ minWidth: 90 }}>{f.name}</b>
                      <span className="muted">{f.vcpus} vCPU · {formatRam(f.ramMb)} · {f.diskGb} GB</span>
                      <span className="meta">
                        {imgProblem ? <span className="error-text">{imgProblem}</span> : fits === null ? null : fits === 0 ? <span className="error-text">no host has room</span> : <span className="ok-text">room for {fits > 99 ? '99+' : fits}</span>}
                      </span>
                    </button>
                  );
                })}
              </div>
            </div>
          </>
        )}
        {step === 2 && (
          <>
            <label className="field">
              <span>Network</span>
              <select name="network" value={networkId} onChange={(e) => setNetworkId(e.target.value)}>
                <option value="">No network</option>
                {networks.map((n) => (
                  <option key={n.id} value={n.id}>{n.name}{n.cidr ? ` (${n.cidr})` : ''}{n.external ? ' — external' : ''}</option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>Key pair</span>
              <select name="keypair" value={keyName} onChange={(e) => setKeyName(e.target.value)}>
                <option value="">None (log in through the console)</option>
                {keypairs.map((k) => <option key={k.name} value={k.name}>{k.name}</option>)}
              </select>
            </label>
            <label className="field">
              <span>User-data (cloud-init)</span>
              <textarea name="userData" rows={8} value={userData} aria-invalid={Boolean(userDataError)} placeholder={'#cloud-config\npackages:\n  - nginx'} onChange={(e) => setUserData(e.target.value)} spellCheck={false} />
              {userDataError ? <span className="error-text">{userDataError}</span> : userData.trim() ? <span className="ok-text">Valid {userData.startsWith('#!') ? 'script' : 'cloud-config'}.</span> : <span className="hint">Optional. Starts with #cloud-config (YAML) or #! (a script).</span>}
            </label>
          </>
        )}
        {step === 3 && (
          <>
            <p className="muted">DeskStack will create:</p>
            <dl className="kv">
              <dt>Instances</dt><dd><b>{count}</b> × {count > 1 ? `${name}-1 … ${name}-${count}` : name}</dd>
              <dt>Image</dt><dd>{image?.name ?? '—'}</dd>
              <dt>Flavor</dt><dd>{flavor ? `${flavor.name} · ${flavor.vcpus} vCPU · ${formatRam(flavor.ramMb)} · ${flavor.diskGb} GB` : '—'}</dd>
              <dt>Total</dt><dd>{flavor ? `${flavor.vcpus * count} vCPU · ${formatRam(flavor.ramMb * count)} · ${flavor.diskGb * count} GB` : '—'}</dd>
              <dt>Network</dt><dd>{network?.name ?? 'none'}</dd>
              <dt>Key pair</dt><dd>{keyName || 'none'}</dd>
              <dt>User-data</dt><dd>{userData.trim() ? `${userData.split('\n').length} lines` : 'none'}</dd>
            </dl>
            {error && <div className="callout red" role="alert">{error}</div>}
          </>
        )}
      </form>
    </Dialog>
  );
}
