import { useState, type ReactElement } from 'react';
import { asClientError } from '../../api/client';
import { hostsApi, type HostProbeView } from '../../api/hosts-api';
import { Dialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { selectHosts, useData } from '../../stores/data';
import { upsertTask } from '../../stores/sync';
import { HostCard } from '../host-card';
import { authOf, ConnectForm, connectDraft, connectErrors, emptyConnect, type ConnectValues } from './connect-form';
import { PreflightChecklist } from './preflight-checklist';
import { ProvisionProgress } from './provision-progress';
import { useHostDetail, useTask } from './use-host-detail';

type Step = 'connect' | 'trust' | 'preflight' | 'provision';
const STEP_INDEX: Record<Step, number> = { connect: 0, trust: 1, preflight: 2, provision: 3 };
const TITLE: Record<Step, string> = { connect: 'Add a host', trust: 'Trust this host?', preflight: 'Preflight', provision: 'Provision' };

/**
 * Add-host wizard: connect → confirm the host key → preflight report → provisioning with live
 * progress and log. Opened with a hostId it resumes an existing host at preflight or provisioning.
 */
export function AddHostWizard({ onClose, resumeHostId }: { onClose: () => void; resumeHostId?: string }): ReactElement {
  const [step, setStep] = useState<Step>(resumeHostId ? 'preflight' : 'connect');
  const [form, setForm] = useState<ConnectValues>(emptyConnect);
  const [probe, setProbe] = useState<HostProbeView | null>(null);
  const [hostId, setHostId] = useState<string | null>(resumeHostId ?? null);
  const [preflightTaskId, setPreflightTaskId] = useState<string | null>(null);
  const [provisionTaskId, setProvisionTaskId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { detail } = useHostDetail(hostId, [preflightTaskId, provisionTaskId]);
  const host = useData(selectHosts).find((h) => h.id === hostId) ?? detail ?? undefined;
  const pfTask = useTask(preflightTaskId ?? detail?.preflightTaskId ?? null);
  const pvTask = useTask(provisionTaskId ?? detail?.provisionTaskId ?? null);

  const run = async (fn: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(asClientError(err).message);
    } finally {
      setBusy(false);
    }
  };

  const connect = () =>
    run(async () => {
      if (form.local) return add(null);
      setProbe(await hostsApi.probe(form.address.trim(), Number(form.port)));
      setStep('trust');
    });

  const add = async (confirmed: HostProbeView | null): Promise<void> => {
    const r = await hostsApi.add({
      address: form.local ? 'local' : form.address.trim(),
      port: Number(form.port),
      user: form.user,
      ...(form.name ? { name: form.name } : {}),
      ...(confirmed ? { hostKeyFingerprint: confirmed.fingerprint } : {}),
      ...(authOf(form) ? { auth: authOf(form) } : {}),
    });
    // The password or key was needed once; forget it now.
    setForm((f) => ({ ...f, password: '', privateKey: '', passphrase: '' }));
    setHostId(r.host.id);
    setPreflightTaskId(r.preflightTaskId);
    setStep('preflight');
  };

  const rerunPreflight = () =>
    run(async () => {
      const t = await hostsApi.preflight(hostId!);
      upsertTask(t);
      setPreflightTaskId(t.id);
    });

  const provision = () =>
    run(async () => {
      const t = await hostsApi.provision(hostId!);
      upsertTask(t);
      setProvisionTaskId(t.id);
      setStep('provision');
    });

  const report = detail?.preflight ?? null;
  const pfRunning = pfTask ? pfTask.state === 'queued' || pfTask.state === 'running' : false;
  const pvRunning = pvTask ? pvTask.state === 'queued' || pvTask.state === 'running' : false;
  const provisioned = pvTask?.state === 'succeeded' || (step === 'provision' && !pvRunning && host?.provisionState === 'ready');
  const shownStep: Step = step === 'preflight' && resumeHostId && !preflightTaskId && (host?.provisionState === 'provisioning' || (host?.provisionState === 'failed' && detail?.provisionSteps.some((s) => s.status !== 'pending'))) ? 'provision' : step;
  const formOk = Object.keys(connectErrors(form)).length === 0;
  // Until the host is added, what was typed lives only here: closing asks first, as other dialogs do.
  const draft = shownStep === 'connect' || shownStep === 'trust' ? connectDraft(form) : null;

  const footer = (
    <>
      {error && <span className="error-text left" role="alert" style={{ marginRight: 'auto' }}>{error}</span>}
      {shownStep === 'connect' && (
        <>
          <button className="btn" onClick={onClose}>Cancel</button>
          <button className="btn primary" disabled={!formOk || busy} onClick={() => void connect()}>{busy ? <span className="spinner" /> : null} Connect</button>
        </>
      )}
      {shownStep === 'trust' && (
        <>
          <button className="btn" onClick={() => setStep('connect')} disabled={busy}>Back</button>
          <button className="btn primary" disabled={busy} onClick={() => void run(() => add(probe))}>{busy ? <span className="spinner" /> : <Icon.key />} Trust this host</button>
        </>
      )}
      {shownStep === 'preflight' && (
        <>
          <button className="btn" onClick={onClose}>Close</button>
          <button className="btn" disabled={busy || pfRunning || !hostId} onClick={() => void rerunPreflight()}>Re-run preflight</button>
          <button className="btn primary" disabled={busy || pfRunning || !report?.ok} onClick={() => void provision()}>Provision</button>
        </>
      )}
      {shownStep === 'provision' && (
        <>
          {pvRunning && <span className="hint left">You can close this window; provisioning continues and shows in Tasks.</span>}
          <button className="btn" onClick={onClose}>{provisioned ? 'Done' : 'Close'}</button>
          {!pvRunning && !provisioned && <button className="btn primary" disabled={busy} onClick={() => void provision()}><Icon.reboot /> Retry from here</button>}
        </>
      )}
    </>
  );

  return (
    <Dialog title={host && shownStep !== 'connect' && shownStep !== 'trust' ? `${TITLE[shownStep]} · ${host.name}` : TITLE[shownStep]} onClose={onClose} wide steps={{ at: STEP_INDEX[shownStep], of: 4 }} footer={footer} draft={draft}>
      {shownStep === 'connect' && <ConnectForm value={form} onChange={setForm} />}
      {shownStep === 'trust' && probe && (
        <div className="trust">
          <p>This is the first connection to <b>{probe.address}:{probe.port}</b>. Check that its host key fingerprint matches the one the machine shows for <code>ssh-keygen -lf /etc/ssh/ssh_host_{probe.keyType.replace(/^ssh-|-.*$/g, '')}_key.pub</code>:</p>
          <div className="fingerprint" data-testid="host-fingerprint"><span className="tag">{probe.keyType}</span> <span className="mono">{probe.fingerprint}</span></div>
          <p className="hint">DeskStack pins this key: if it ever changes, DeskStack refuses to connect. Then it logs in once with your {form.authKind === 'password' ? 'password' : 'key'} as <b>{form.user}</b>, installs its own key, and runs a read-only preflight. Nothing on the host changes before you choose Provision.</p>
        </div>
      )}
      {shownStep === 'preflight' && (
        <>
          {(pfRunning || (!report && !pfTask)) && (
            <div className="row" style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <span className="spinner" /> <span>Checking {host?.name ?? 'the host'}: OS, virtualization, memory, disk, packages… <span className="muted">{pfTask?.step}</span></span>
            </div>
          )}
          {report && !pfRunning && <PreflightChecklist report={report} />}
          {!report && pfTask?.state === 'failed' && <div className="callout red" role="alert"><Icon.x /><div><b>The preflight could not run.</b> {pfTask.error?.message}</div></div>}
        </>
      )}
      {shownStep === 'provision' && (
        <>
          <ProvisionProgress task={pvTask} steps={detail?.provisionSteps ?? []} />
          {provisioned && host && (
            <>
              <div className="callout blue"><Icon.check /><div><b>{host.name} is ready.</b> New instances can now be scheduled on it.</div></div>
              <HostCard host={host} />
            </>
          )}
        </>
      )}
    </Dialog>
  );
}
