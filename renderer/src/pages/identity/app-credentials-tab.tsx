import { useState, type ReactElement } from 'react';
import type { AppCredentialCreated, AppCredentialView } from '../../../../main/api/contract/index';
import { identityApi } from '../../api/identity-api';
import { ConfirmDialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { timeAgo } from '../../components/meter';
import { plural } from '../../components/plural';
import { useBusy } from '../../components/use-busy';
import { selectAppCredentials, useData } from '../../stores/data';
import { selectSession, useSession } from '../../stores/session';
import { toast } from '../../stores/ui';
import { NewAppCredentialDialog } from './app-credential-new';
import { AppCredentialSecretDialog } from './app-credential-secret';

function Expiry({ at }: { at: string | null }): ReactElement {
  if (!at) return <span className="muted">never</span>;
  const when = new Date(at);
  return when.getTime() <= Date.now() ? <span className="chip red" title={when.toLocaleString()}>expired</span> : <span title={when.toLocaleString()}>{when.toLocaleDateString()}</span>;
}

/** The signed-in user's application credentials: make one (its secret shown once), list, revoke. */
export function AppCredentialsTab(): ReactElement {
  const creds = useData(selectAppCredentials);
  const session = useSession(selectSession);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<AppCredentialCreated | null>(null);
  const [revoking, setRevoking] = useState<AppCredentialView | null>(null);
  const [busy, run] = useBusy();

  const revoke = (c: AppCredentialView) =>
    void run(`Could not revoke ${c.name}`, async () => {
      await identityApi.appCredentialDelete(c.id);
      toast('success', `Application credential ${c.name} revoked`, 'It can no longer authenticate.');
      setRevoking(null);
    });

  return (
    <div className="table-wrap app-creds">
      <div className="table-toolbar">
        <span className="count" style={{ marginLeft: 0 }}>{plural(creds.length, 'application credential')} of {session?.userName}</span>
        {creds.length > 0 && <button className="btn sm primary" style={{ marginLeft: 'auto' }} onClick={() => setCreating(true)}><Icon.plus /> New application credential</button>}
      </div>
      {creds.length === 0 ? (
        <div className="empty">
          <Icon.key />
          <h2>No application credentials</h2>
          <p>Give Terraform, Ansible or a script its own secret instead of your password: bound to one project and the roles you choose, revocable at any time.</p>
          <button className="btn primary" onClick={() => setCreating(true)}><Icon.plus /> New application credential</button>
        </div>
      ) : (
        <div className="scroll">
          <table className="simple-table">
            <thead><tr><th>Name</th><th>Project</th><th>Roles</th><th>Expires</th><th>Created</th><th /></tr></thead>
            <tbody>
              {creds.map((c) => (
                <tr key={c.id} data-app-credential={c.name}>
                  <td className="clip-cell">
                    <b>{c.name}</b>
                    {c.unrestricted && <> <span className="tag warn-tag">unrestricted</span></>}
                    {c.description && <div className="muted clip" title={c.description}>{c.description}</div>}
                    <div className="muted clip mono cred-id">{c.id}</div>
                  </td>
                  <td className="clip-cell">{c.projectName ?? <span className="muted">deleted project</span>}</td>
                  <td><span className="tag-list">{[...c.roles].sort().map((r) => <span key={r} className="tag">{r}</span>)}</span></td>
                  <td><Expiry at={c.expiresAt} /></td>
                  <td className="muted">{timeAgo(c.createdAt)}</td>
                  <td style={{ textAlign: 'right' }}>
                    <button className="btn ghost sm danger" aria-label={`Revoke ${c.name}`} onClick={() => setRevoking(c)}><Icon.trash /> Revoke</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating && <NewAppCredentialDialog onClose={() => setCreating(false)} onCreated={(c) => { setCreating(false); setCreated(c); }} />}
      {created && <AppCredentialSecretDialog created={created} onClose={() => setCreated(null)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke application credential ${revoking.name}?`}
          confirmLabel="Revoke"
          busy={busy}
          body={<p>Whatever uses <b>{revoking.name}</b> (scripts, Terraform, Ansible) stops working at once: it can no longer authenticate, and the tokens it holds end. It cannot be undone.</p>}
          onClose={() => setRevoking(null)}
          onConfirm={() => revoke(revoking)}
        />
      )}
    </div>
  );
}
