import { useState, type ReactElement } from 'react';
import type { QuotaView } from '../../../../main/api/contract/index';
import { identityApi } from '../../api/identity-api';
import { QuotaUsage } from '../../components/quota-usage';
import { useBusy } from '../../components/use-busy';
import { toast } from '../../stores/ui';

type Editable = 'instances' | 'cores' | 'ram' | 'key_pairs';
const FIELDS: Array<{ key: Editable; label: string; unit?: string }> = [
  { key: 'instances', label: 'Instances' },
  { key: 'cores', label: 'vCPUs' },
  { key: 'ram', label: 'RAM', unit: 'MB' },
  { key: 'key_pairs', label: 'Key pairs', unit: 'per user' },
];

const asText = (n: number) => (n < 0 ? '' : String(n));

/** A project's quota: usage bars, and limits an admin can change (empty = unlimited). */
export function QuotaEditor({ quota, projectName }: { quota: QuotaView; projectName: string }): ReactElement {
  const [draft, setDraft] = useState<Record<Editable, string> | null>(null);
  const [busy, run] = useBusy();
  const values = draft ?? { instances: asText(quota.limits.instances), cores: asText(quota.limits.cores), ram: asText(quota.limits.ram), key_pairs: asText(quota.limits.key_pairs) };
  const errors = Object.fromEntries(FIELDS.map((f) => [f.key, /^\d*$/.test(values[f.key].trim()) ? null : 'A whole number, or empty for no limit.'])) as Record<Editable, string | null>;
  const invalid = Object.values(errors).some(Boolean);

  async function save(): Promise<void> {
    const limits = Object.fromEntries(FIELDS.map((f) => [f.key, values[f.key].trim() === '' ? -1 : Number(values[f.key])])) as Record<Editable, number>;
    if (await run(`Could not change the quota of ${projectName}`, () => identityApi.quotaUpdate({ projectId: quota.projectId, limits }))) {
      setDraft(null);
      toast('success', `Quota of ${projectName} saved`);
    }
  }

  return (
    <div className="quota-editor">
      <QuotaUsage quota={quota} />
      <div className="quota-fields">
        {FIELDS.map((f) => (
          <label key={f.key} className="field">
            <span>{f.label}{f.unit ? <span className="muted"> ({f.unit})</span> : null}</span>
            <input
              name={`quota-${f.key}`}
              inputMode="numeric"
              value={values[f.key]}
              placeholder="no limit"
              aria-invalid={Boolean(errors[f.key])}
              onChange={(e) => setDraft({ ...values, [f.key]: e.target.value })}
            />
            {errors[f.key] ? <span className="error-text">{errors[f.key]}</span> : <span className="hint">in use: {quota.usage[f.key]}</span>}
          </label>
        ))}
      </div>
      <div className="row-end">
        {draft && <button className="btn sm" onClick={() => setDraft(null)} disabled={busy}>Undo changes</button>}
        <button className="btn sm primary" disabled={!draft || invalid || busy} onClick={() => void save()}>{busy && <span className="spinner" />} Save quota</button>
      </div>
    </div>
  );
}
