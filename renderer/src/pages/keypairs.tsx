import { useState, type ReactElement } from 'react';
import type { KeypairCreated, KeypairView } from '../../../main/api/contract/index';
import { asClientError, client } from '../api/client';
import { ConfirmDialog, Dialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { timeAgo } from '../components/meter';
import { selectKeypairs, useData } from '../stores/data';
import { toast } from '../stores/ui';

const NAME_RE = /^(?! )[a-zA-Z0-9. _-]+(?<! )$/;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}.pem`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function NewKeyDialog({ onClose }: { onClose: () => void }): ReactElement {
  const [mode, setMode] = useState<'create' | 'import'>('create');
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<KeypairCreated | null>(null);
  const [saved, setSaved] = useState(false);
  const nameError = name && !NAME_RE.test(name) ? 'Letters, digits, spaces, _ . and - only; no leading or trailing space.' : null;
  const keyError = mode === 'import' && publicKey.trim() && !/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-\S+)\s+\S+/.test(publicKey.trim()) ? 'Paste an OpenSSH public key (ssh-ed25519 AAAA… or ssh-rsa AAAA…).' : null;

  async function submit(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const k = mode === 'create' ? await client.call('keypairCreate', { name }) : await client.call('keypairImport', { name, publicKey });
      if (k.privateKey) setCreated(k);
      else {
        toast('success', `Key pair ${k.name} imported`);
        onClose();
      }
    } catch (err) {
      setError(asClientError(err).message);
    } finally {
      setBusy(false);
    }
  }

  if (created?.privateKey) {
    const pk = created.privateKey;
    return (
      <Dialog title={`Key pair ${created.name} created`} onClose={onClose} draft={saved ? null : `the private key of ${created.name}`} discardNote="It is shown only once; it was not downloaded yet." footer={<><button className="btn" onClick={onClose}>Done</button><button className="btn primary" onClick={() => { download(created.name, pk); setSaved(true); }}><Icon.download /> Download {created.name}.pem</button></>}>
        <div className="callout amber"><Icon.warn /><div><b>Save the private key now.</b> It is shown only once; DeskStack does not keep it.</div></div>
        <textarea readOnly rows={10} value={pk} aria-label="Private key" onFocus={(e) => e.currentTarget.select()} />
        <span className="hint">Fingerprint: <span className="mono">{created.fingerprint}</span></span>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="New key pair"
      onClose={onClose}
      draft={name || publicKey ? 'the new key pair' : null}
      footer={<><button className="btn" onClick={onClose}>Cancel</button><button className="btn primary" disabled={busy || !name || Boolean(nameError) || (mode === 'import' && (!publicKey.trim() || Boolean(keyError)))} onClick={() => void submit()}>{busy && <span className="spinner" />} {mode === 'create' ? 'Create' : 'Import'}</button></>}
    >
      <div className="tabs" role="tablist" style={{ padding: 0 }}>
        <button role="tab" aria-selected={mode === 'create'} className={`tab${mode === 'create' ? ' active' : ''}`} onClick={() => setMode('create')}>Generate a new key</button>
        <button role="tab" aria-selected={mode === 'import'} className={`tab${mode === 'import' ? ' active' : ''}`} onClick={() => setMode('import')}>Import a public key</button>
      </div>
      <label className="field">
        <span>Name</span>
        <input name="name" value={name} maxLength={255} aria-invalid={Boolean(nameError)} onChange={(e) => setName(e.target.value)} />
        {nameError && <span className="error-text">{nameError}</span>}
      </label>
      {mode === 'import' && (
        <label className="field">
          <span>Public key</span>
          <textarea name="publicKey" rows={5} value={publicKey} aria-invalid={Boolean(keyError)} onChange={(e) => setPublicKey(e.target.value)} placeholder="ssh-ed25519 AAAA… you@laptop" />
          {keyError && <span className="error-text">{keyError}</span>}
        </label>
      )}
      {error && <div className="callout red">{error}</div>}
    </Dialog>
  );
}

export function KeypairsPage(): ReactElement {
  const keypairs = useData(selectKeypairs);
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<KeypairView | null>(null);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Key pairs</h1>
        <span className="sub">SSH keys injected into new instances</span>
        <div className="actions"><button className="btn primary" onClick={() => setCreating(true)}><Icon.plus /> New key pair</button></div>
      </div>
      <div className="card">
        {keypairs.length === 0 ? (
          <div className="empty"><Icon.keypairs /><h2>No key pairs</h2><p>Generate one here, or import your own public key, to log in to instances over SSH.</p></div>
        ) : (
          <table className="simple-table">
            <thead><tr><th>Name</th><th>Type</th><th>Fingerprint</th><th>Created</th><th /></tr></thead>
            <tbody>
              {keypairs.map((k) => (
                <tr key={k.name}>
                  <td><b style={{ fontWeight: 550 }}>{k.name}</b></td>
                  <td>{k.type}</td>
                  <td className="mono muted">{k.fingerprint}</td>
                  <td className="muted">{timeAgo(k.createdAt)}</td>
                  <td style={{ textAlign: 'right' }}><button className="btn ghost sm danger" onClick={() => setToDelete(k)} aria-label={`Delete key pair ${k.name}`}><Icon.trash /></button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating && <NewKeyDialog onClose={() => setCreating(false)} />}
      {toDelete && (
        <ConfirmDialog
          title={`Delete key pair ${toDelete.name}?`}
          confirmLabel="Delete key pair"
          body={<p>New instances can no longer use <b>{toDelete.name}</b>. Instances that already have the key keep it.</p>}
          onClose={() => setToDelete(null)}
          onConfirm={async () => {
            try {
              await client.call('keypairDelete', { name: toDelete.name });
              setToDelete(null);
            } catch (err) {
              toast('error', 'Delete failed', asClientError(err).message);
            }
          }}
        />
      )}
    </div>
  );
}
