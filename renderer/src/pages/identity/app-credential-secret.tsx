import { useState, type ReactElement } from 'react';
import type { AppCredentialCreated } from '../../../../main/api/contract/index';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { cloudName, cloudsYaml, envLines } from './client-config';

function SecretField({ label, value, onCopied }: { label: string; value: string; onCopied: () => void }): ReactElement {
  return (
    <div className="secret-field">
      <span className="field-label">{label}</span>
      <code className="secret-value" data-testid={`app-credential-${label.toLowerCase()}`}>{value}</code>
      <CopyButton text={value} label={label.toLowerCase()} onCopied={onCopied} />
    </div>
  );
}

function Snippet({ title, hint, text, label, onCopied }: { title: string; hint: ReactElement; text: string; label: string; onCopied: () => void }): ReactElement {
  return (
    <section className="snippet">
      <div className="snippet-head">
        <h3>{title}</h3>
        <CopyButton text={text} label={label} onCopied={onCopied} />
      </div>
      <pre className="code-block" aria-label={title}>{text}</pre>
      <p className="hint">{hint}</p>
    </section>
  );
}

/** The new credential's id and secret, shown this once, with a clouds.yaml entry and OS_* lines ready to paste. */
export function AppCredentialSecretDialog({ created, onClose }: { created: AppCredentialCreated; onClose: () => void }): ReactElement {
  const [copied, setCopied] = useState(false);
  const c = created.credential;
  const config = { name: c.name, id: c.id, secret: created.secret, authUrl: created.authUrl, regionName: created.regionName };
  const cloud = cloudName(c.name);
  const done = () => setCopied(true);
  return (
    <Dialog
      title={`Application credential ${c.name} created`}
      onClose={onClose}
      wide
      draft={copied ? null : `the secret of ${c.name}`}
      discardNote="It is shown only once; nothing is copied yet."
      footer={<button className="btn primary" onClick={onClose}>Done</button>}
    >
      <div className="callout amber"><Icon.warn /><div><b>Copy the secret now.</b> It is shown only once: DeskStack keeps only a hash. If it is lost, revoke this credential and make another.</div></div>
      {!created.authUrl && (
        <div className="callout blue"><Icon.warn /><div>This window serves no REST API. Clients reach the cloud through <code>deskstack serve</code>: replace <code>HOST:7480</code> with its address.</div></div>
      )}
      <div className="secret-fields">
        <SecretField label="ID" value={c.id} onCopied={done} />
        <SecretField label="Secret" value={created.secret} onCopied={done} />
      </div>
      <Snippet
        title="clouds.yaml"
        label="clouds.yaml"
        text={cloudsYaml(config)}
        onCopied={done}
        hint={<>Add it to <code>~/.config/openstack/clouds.yaml</code>, then use <code>openstack --os-cloud {cloud}</code>, or <code>cloud: {cloud}</code> in Ansible and Terraform.</>}
      />
      <Snippet title="Environment" label="environment lines" text={envLines(config)} onCopied={done} hint={<>Or paste these into a shell (or an <code>openrc</code> file); OpenStack clients, Terraform and Ansible read them.</>} />
    </Dialog>
  );
}
