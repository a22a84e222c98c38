import { useMemo, useState, type ReactElement } from 'react';
import { MAX_LAUNCH_COUNT, parseCount, RESOURCE_NAME_HINT, RESOURCE_NAME_RE } from '../../../../main/api/contract/rules';
import { asClientError, client } from '../../api/client';
import { Dialog } from '../../components/dialog';
import { formatRam } from '../../components/meter';
import { plural } from '../../components/plural';
import { QuotaUsage } from '../../components/quota-usage';
import { selectFlavors, selectHosts, selectImages, selectKeypairs, selectNetworks, selectQuota, useData } from '../../stores/data';
import { selectIsAdmin, useSession } from '../../stores/session';
import { upsertServers } from '../../stores/sync';
import { navigate, toast, useUi } from '../../stores/ui';
import { validateUserData } from '../user-data';
import { explainOverQuota, quotaShortfall } from './quota-text';
import { SourceStep } from './source-step';

const STEPS = ['Details', 'Source & size', 'Network & access', 'Review'];

/**
 * The launch wizard. Image, flavor and network start as "not chosen": until the user picks one,
 * the default follows the data, so a wizard opened before the lists arrive still gets its defaults.
 */
export function LaunchWizard({ onClose }: { onClose: () => void }): ReactElement {
  const images = useData(selectImages);
  const flavors = useData(selectFlavors);
  const networks = useData(selectNetworks);
  const keypairs = useData(selectKeypairs);
  const hosts = useData(selectHosts);
  const quota = useData(selectQuota);
  const isAdmin = useSession(selectIsAdmin);
  const activeImages = useMemo(() => images.filter((i) => i.status === 'active'), [images]);
  const sortedFlavors = useMemo(() => [...flavors].sort((a, b) => a.vcpus - b.vcpus || a.ramMb - b.ramMb), [flavors]);

  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [countText, setCountText] = useState('1');
  const [chosenImage, setChosenImage] = useState<string | null>(null);
  const [chosenFlavor, setChosenFlavor] = useState<string | null>(null);
  // null: not chosen (the default applies); '': the user chose "No network".
  const [chosenNetwork, setChosenNetwork] = useState<string | null>(null);
  const [keyName, setKeyName] = useState('');
  const [userData, setUserData] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const imageId = chosenImage ?? activeImages.find((i) => /cirros/i.test(i.name))?.id ?? activeImages[0]?.id ?? '';
  const flavorId = chosenFlavor ?? sortedFlavors.find((f) => f.name === 'm1.small')?.id ?? sortedFlavors[0]?.id ?? '';
  const networkId = chosenNetwork ?? networks.find((n) => n.name === 'private')?.id ?? networks.find((n) => !n.external)?.id ?? '';

  const image = images.find((i) => i.id === imageId);
  const flavor = flavors.find((f) => f.id === flavorId);
  const network = networks.find((n) => n.id === networkId);
  const parsed = parseCount(countText);
  const count = 'count' in parsed ? parsed.count : 1;
  const countError = 'error' in parsed ? parsed.error : null;
  const nameError = !name ? null : name.length > 255 ? 'At most 255 characters.' : !RESOURCE_NAME_RE.test(name) ? RESOURCE_NAME_HINT : null;
  const userDataError = validateUserData(userData);
  const shortfall = flavor ? quotaShortfall(quota, flavor.vcpus, flavor.ramMb, count, isAdmin) : null;
  const valid = [Boolean(name) && !nameError && !countError, Boolean(image && flavor) && !shortfall, !userDataError, !shortfall];
  const draft = name || countText !== '1' || chosenImage || chosenFlavor || chosenNetwork !== null || keyName || userData ? 'the instance you were setting up' : null;

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
      toast('success', count > 1 ? `Launching ${plural(count, 'instance')}` : `Launching ${name}`, 'Follow the build in Tasks.');
      navigate('instances');
      useUi.setState({ selectedServerId: created[0]?.id ?? null });
      onClose();
    } catch (err) {
      const e = asClientError(err);
      setError((e.code === 'OverQuota' && explainOverQuota(e.details, isAdmin)) || e.message);
      setBusy(false);
    }
  }

  const next = () => (step < STEPS.length - 1 ? setStep(step + 1) : void create());

  return (
    <Dialog
      title={`Launch instance — ${STEPS[step]}`}
      onClose={onClose}
      draft={draft}
      wide
      steps={{ at: step, of: STEPS.length }}
      footer={
        <>
          <span className="left">Step {step + 1} of {STEPS.length}</span>
          {step > 0 && <button className="btn" onClick={() => setStep(step - 1)} disabled={busy}>Back</button>}
          <button className="btn primary" disabled={!valid[step] || busy} onClick={next}>
            {busy ? <span className="spinner" /> : null} {step === STEPS.length - 1 ? (count > 1 ? `Create ${plural(count, 'instance')}` : 'Create') : 'Next'}
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
        className="wizard-form"
      >
        {step === 0 && (
          <>
            <label className="field">
              <span>Name</span>
              <input name="name" value={name} aria-invalid={Boolean(nameError)} onChange={(e) => setName(e.target.value)} placeholder="web-1" autoFocus />
              {nameError ? <span className="error-text">{nameError}</span> : <span className="hint">With a count above 1, instances are named name-1, name-2, …</span>}
            </label>
            <label className="field" style={{ maxWidth: 220 }}>
              <span>Count</span>
              <input
                name="count"
                inputMode="numeric"
                autoComplete="off"
                value={countText}
                aria-invalid={Boolean(countError)}
                onFocus={(e) => e.currentTarget.select()}
                onChange={(e) => setCountText(e.target.value)}
              />
              {countError ? <span className="error-text">{countError}</span> : <span className="hint">1 to {MAX_LAUNCH_COUNT}.</span>}
            </label>
            {quota && (
              <div className="field">
                <span className="hint field-label">This project’s quota</span>
                <QuotaUsage quota={quota} compact />
              </div>
            )}
          </>
        )}
        {step === 1 && (
          <>
            <SourceStep images={activeImages} flavors={sortedFlavors} imageId={imageId} flavorId={flavorId} onImage={setChosenImage} onFlavor={setChosenFlavor} quota={quota} hosts={isAdmin ? hosts : null} />
            {shortfall && <div className="callout red" role="alert">{shortfall}</div>}
          </>
        )}
        {step === 2 && (
          <>
            <label className="field">
              <span>Network</span>
              <select name="network" value={networkId} onChange={(e) => setChosenNetwork(e.target.value)}>
                <option value="">No network</option>
                {networks.map((n) => (
                  <option key={n.id} value={n.id}>{n.name}{n.cidr ? ` (${n.cidr})` : ''}{n.external ? ' — external' : ''}</option>
                ))}
              </select>
              {!networkId && <span className="hint">Without a network the instance has no address; reach it through its console.</span>}
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
              <dt>User-data</dt><dd>{userData.trim() ? plural(userData.split('\n').length, 'line') : 'none'}</dd>
            </dl>
            {shortfall && <div className="callout red" role="alert">{shortfall}</div>}
            {error && <div className="callout red" role="alert">{error}</div>}
          </>
        )}
      </form>
    </Dialog>
  );
}
