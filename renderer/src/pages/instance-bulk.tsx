import { useState, type ReactElement } from 'react';
import type { ServerActionName, ServerView } from '../../../main/api/contract/index';
import { asClientError, client } from '../api/client';
import { ConfirmDialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { plural } from '../components/plural';
import { toast } from '../stores/ui';

const canStart = (s: ServerView) => s.status === 'SHUTOFF' && !s.taskState;
const canStop = (s: ServerView) => s.status === 'ACTIVE' && !s.taskState;
const canDelete = (s: ServerView) => s.taskState !== 'deleting';

/** Runs one call per instance; reports how many worked and why the others failed. */
async function runAll(verb: string, servers: ServerView[], call: (s: ServerView) => Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled(servers.map(call));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${servers[i].name}: ${asClientError(r.reason).message}`] : []));
  const ok = servers.length - failed.length;
  if (failed.length === 0) toast('success', `${verb} ${plural(ok, 'instance')}`);
  else toast('error', `${verb} ${ok} of ${plural(servers.length, 'instance')}`, failed.slice(0, 3).join(' · ') + (failed.length > 3 ? ` · and ${failed.length - 3} more` : ''));
}

function names(list: ServerView[]): string {
  const shown = list.slice(0, 5).map((s) => s.name);
  return list.length > 5 ? `${shown.join(', ')} and ${list.length - 5} more` : shown.join(', ');
}

/** The bar over the instances table while rows are selected: start, stop or delete them all. */
export function BulkActions({ selected, onClear }: { selected: ServerView[]; onClear: () => void }): ReactElement {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const startable = selected.filter(canStart);
  const stoppable = selected.filter(canStop);
  const deletable = selected.filter(canDelete);

  const act = async (verb: string, list: ServerView[], action: ServerActionName) => {
    setBusy(true);
    await runAll(verb, list, (s) => client.call('serverAction', { id: s.id, action }));
    setBusy(false);
  };

  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected instances">
      <span className="what">{plural(selected.length, 'instance')} selected</span>
      <button className="btn sm" disabled={busy || !startable.length} onClick={() => void act('Started', startable, 'start')} title={startable.length < selected.length ? `${startable.length} of them are stopped` : undefined}>
        <Icon.play /> Start{startable.length && startable.length < selected.length ? ` ${startable.length}` : ''}
      </button>
      <button className="btn sm" disabled={busy || !stoppable.length} onClick={() => void act('Stopped', stoppable, 'stop')} title={stoppable.length < selected.length ? `${stoppable.length} of them are running` : undefined}>
        <Icon.stop /> Stop{stoppable.length && stoppable.length < selected.length ? ` ${stoppable.length}` : ''}
      </button>
      <button className="btn sm danger" disabled={busy || !deletable.length} onClick={() => setConfirm(true)}><Icon.trash /> Delete</button>
      <button className="btn sm ghost" style={{ marginLeft: 'auto' }} onClick={onClear}>Clear selection</button>
      {confirm && (
        <ConfirmDialog
          title={`Delete ${plural(deletable.length, 'instance')}?`}
          confirmLabel={`Delete ${plural(deletable.length, 'instance')}`}
          busy={busy}
          body={<p>This destroys <b>{names(deletable)}</b>, with their root disks and fixed addresses. It cannot be undone.</p>}
          onClose={() => setConfirm(false)}
          onConfirm={async () => {
            setBusy(true);
            await runAll('Deleting', deletable, (s) => client.call('serverDelete', { id: s.id }));
            setBusy(false);
            setConfirm(false);
            onClear();
          }}
        />
      )}
    </div>
  );
}
