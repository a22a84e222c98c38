import { lazy, Suspense, useEffect, useState, type ReactElement } from 'react';
import type { InstanceActionView, ServerActionName, ServerView } from '../../../main/api/contract/index';
import { asClientError, client } from '../api/client';
import { ConfirmDialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { formatRam, timeAgo } from '../components/meter';
import { StatusChip } from '../components/status-chip';
import { selectServer, useData } from '../stores/data';
import { toast } from '../stores/ui';

// xterm.js and noVNC load only when a console is opened.
const ConsoleTab = lazy(() => import('./console/console-tab').then((m) => ({ default: m.ConsoleTab })));

export type DetailTab = 'overview' | 'console' | 'metadata' | 'actions';

const ACTION_LABEL: Record<ServerActionName, string> = { start: 'Start', stop: 'Stop', reboot: 'Reboot', hardReboot: 'Hard reboot' };

async function runAction(server: ServerView, action: ServerActionName): Promise<void> {
  try {
    await client.call('serverAction', { id: server.id, action });
  } catch (err) {
    toast('error', `${ACTION_LABEL[action]} ${server.name} failed`, asClientError(err).message);
  }
}

function ActionsTab({ server }: { server: ServerView }): ReactElement {
  const [actions, setActions] = useState<InstanceActionView[] | null>(null);
  useEffect(() => {
    let live = true;
    client.call('serverActions', { id: server.id }).then((a) => live && setActions(a), () => live && setActions([]));
    return () => {
      live = false;
    };
  }, [server.id, server.status, server.taskState]);
  if (!actions) return <span className="spinner" />;
  if (!actions.length) return <p className="muted">No actions recorded.</p>;
  return (
    <table className="simple-table">
      <thead>
        <tr><th>Action</th><th>Started</th><th>Result</th></tr>
      </thead>
      <tbody>
        {actions.map((a) => {
          const failed = a.events.some((e) => e.result === 'Error');
          return (
            <tr key={a.requestId + a.action}>
              <td>{a.action}</td>
              <td className="muted" title={a.startTime}>{timeAgo(a.startTime)}</td>
              <td>{a.finishTime === null && !failed ? <StatusChip status="RUNNING_TASK" /> : failed ? <span className="fault">{a.message ?? 'Error'}</span> : <span className="ok-text">Success</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The detail panel beside the instance list: overview, console log, metadata and action history. */
export function InstanceDetail({ id, tab, onTab: setTab, onClose }: { id: string; tab: DetailTab; onTab: (t: DetailTab) => void; onClose: () => void }): ReactElement | null {
  const server = useData(selectServer(id));
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  if (!server) return null;
  const busy = Boolean(server.taskState);
  const canStart = server.status === 'SHUTOFF' && !busy;
  const canStop = server.status === 'ACTIVE' && !busy;
  const canReboot = server.status === 'ACTIVE' && !busy;

  return (
    <aside className={`detail${tab === 'console' ? ' wide' : ''}`} aria-label={`Instance ${server.name}`} onKeyDown={(e) => e.key === 'Escape' && !confirmDelete && onClose()}>
      <div className="detail-head">
        <div className="row">
          <h2 style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{server.name}</h2>
          <StatusChip status={server.status} task={server.taskState} />
          <button className="btn ghost icon-btn" style={{ marginLeft: 'auto' }} onClick={onClose} aria-label="Close details">
            <Icon.close />
          </button>
        </div>
        <div className="row">
          <button className="btn sm" disabled={!canStart} onClick={() => void runAction(server, 'start')}><Icon.play /> Start</button>
          <button className="btn sm" disabled={!canStop} onClick={() => void runAction(server, 'stop')}><Icon.stop /> Stop</button>
          <button className="btn sm" disabled={!canReboot} onClick={() => void runAction(server, 'reboot')}><Icon.reboot /> Reboot</button>
          <button className="btn sm danger" style={{ marginLeft: 'auto' }} disabled={server.taskState === 'deleting'} onClick={() => setConfirmDelete(true)}><Icon.trash /> Delete</button>
        </div>
      </div>
      <div className="tabs" role="tablist">
        {(['overview', 'console', 'metadata', 'actions'] as DetailTab[]).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} className={`tab${tab === t ? ' active' : ''}`} onClick={() => setTab(t)}>
            {t === 'console' ? 'Console' : t === 'actions' ? 'Actions' : t[0].toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div className="detail-body">
        {tab === 'overview' && (
          <>
            {server.status === 'ERROR' && server.fault && (
              <div className="callout red" role="alert">
                <Icon.warn />
                <div>
                  <b>Build failed.</b> {server.fault.message}
                  {server.fault.message.includes('No valid host') && <div style={{ marginTop: 4 }}>Pick a smaller flavor, free capacity by deleting or stopping instances, or add a host.</div>}
                </div>
              </div>
            )}
            <dl className="kv">
              <dt>ID</dt><dd className="mono">{server.id}</dd>
              <dt>Host</dt><dd>{server.hostName ?? '—'}</dd>
              <dt>Flavor</dt><dd>{server.flavorName} <span className="muted">· {server.vcpus} vCPU · {formatRam(server.ramMb)} · {server.diskGb} GB</span></dd>
              <dt>Image</dt><dd>{server.imageName ?? server.imageId}</dd>
              <dt>Key pair</dt><dd>{server.keyName ?? '—'}</dd>
              <dt>Addresses</dt>
              <dd>
                {server.addresses.length === 0 ? '—' : server.addresses.map((a) => (
                  <div key={a.addr}><span className="mono">{a.addr}</span> <span className="muted">on {a.network}</span></div>
                ))}
              </dd>
              <dt>Created</dt><dd title={server.createdAt}>{new Date(server.createdAt).toLocaleString()}</dd>
              <dt>Updated</dt><dd>{timeAgo(server.updatedAt)}</dd>
            </dl>
          </>
        )}
        {tab === 'console' && (
          <Suspense fallback={<span className="spinner" />}>
            <ConsoleTab server={server} />
          </Suspense>
        )}
        {tab === 'metadata' && (
          Object.keys(server.metadata).length === 0 ? <p className="muted">No metadata.</p> : (
            <dl className="kv">{Object.entries(server.metadata).map(([k, v]) => [<dt key={k + 'k'} className="mono">{k}</dt>, <dd key={k + 'v'} className="mono">{v}</dd>])}</dl>
          )
        )}
        {tab === 'actions' && <ActionsTab server={server} />}
      </div>
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${server.name}?`}
          confirmLabel="Delete instance"
          busy={deleting}
          body={<p>This destroys the instance <b>{server.name}</b>{server.hostName ? <> on <b>{server.hostName}</b></> : null}, its root disk and its fixed addresses. It cannot be undone.</p>}
          onClose={() => setConfirmDelete(false)}
          onConfirm={async () => {
            setDeleting(true);
            try {
              await client.call('serverDelete', { id: server.id });
              setConfirmDelete(false);
            } catch (err) {
              toast('error', `Delete ${server.name} failed`, asClientError(err).message);
            } finally {
              setDeleting(false);
            }
          }}
        />
      )}
    </aside>
  );
}
