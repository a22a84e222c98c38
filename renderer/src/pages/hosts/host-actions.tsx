import { useState, type ReactElement } from 'react';
import type { HostView } from '../../../../main/api/contract/index';
import { asClientError } from '../../api/client';
import { hostsApi } from '../../api/hosts-api';
import { ConfirmDialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { toast } from '../../stores/ui';

/** The buttons on a host card: continue setup, maintenance on/off, remove (asked once, saying what goes). */
export function HostActions({ host, onResume }: { host: HostView; onResume: () => void }): ReactElement {
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const needsSetup = host.driver !== 'fake' && host.provisionState !== 'ready';
  const n = host.usage.instances;

  const toggle = async () => {
    setBusy(true);
    try {
      await hostsApi.maintenance(host.id, !host.enabled, host.enabled ? 'maintenance from the Hosts page' : undefined);
    } catch (err) {
      toast('error', `Maintenance on ${host.name} failed`, asClientError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="host-actions">
      {needsSetup && (
        <button className="btn sm primary" onClick={onResume}><Icon.wrench /> {host.provisionState === 'failed' ? 'Fix and retry setup' : 'Continue setup'}</button>
      )}
      <button className="btn sm" disabled={busy} onClick={() => void toggle()} aria-pressed={!host.enabled}>
        {host.enabled ? 'Enter maintenance' : 'Leave maintenance'}
      </button>
      <button className="btn sm danger" disabled={busy} onClick={() => setConfirm(true)}><Icon.trash /> Remove</button>
      {confirm && (
        <ConfirmDialog
          title={`Remove ${host.name}?`}
          confirmLabel={n > 0 ? `Remove with ${n} instance${n === 1 ? '' : 's'}` : 'Remove host'}
          busy={busy}
          body={
            <>
              <p>
                DeskStack stops managing <b>{host.name}</b>{host.driver === 'fake' ? ' (a demo-rack host)' : <> at <span className="mono">{host.address}</span></>}: it leaves the scheduler, and its pinned host key and DeskStack's access are forgotten.
              </p>
              {n > 0 ? (
                <div className="callout red" style={{ marginTop: 10 }}><Icon.warn /><div><b>{n} instance{n === 1 ? ' runs' : 's run'} there.</b> Removing anyway destroys those VMs and their disks on the host, and leaves their records in ERROR. Move or back up what you need first.</div></div>
              ) : (
                <p className="hint" style={{ marginTop: 8 }}>No instances run there. Installed packages, the image cache and DeskStack's SSH key stay on the machine.</p>
              )}
            </>
          }
          onClose={() => setConfirm(false)}
          onConfirm={async () => {
            setBusy(true);
            try {
              await hostsApi.remove(host.id, n > 0);
              setConfirm(false);
              toast('success', `${host.name} removed`);
            } catch (err) {
              toast('error', `Remove ${host.name} failed`, asClientError(err).message);
            } finally {
              setBusy(false);
            }
          }}
        />
      )}
    </div>
  );
}
