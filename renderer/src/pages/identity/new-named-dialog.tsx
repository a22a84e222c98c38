import { useState, type ReactElement } from 'react';
import { Dialog } from '../../components/dialog';
import { useBusy } from '../../components/use-busy';

/** Creates something that has a name and a description (a project, a group); `create` returns the new id. */
export function NewNamedDialog(props: {
  kind: string;
  nameMax: number;
  placeholder: string;
  hint: string;
  create: (name: string, description: string) => Promise<string>;
  onClose: () => void;
  onCreated: (id: string) => void;
}): ReactElement {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [busy, run] = useBusy();
  const create = () => void run(`Could not create the ${props.kind}`, async () => props.onCreated(await props.create(name.trim(), description)));
  return (
    <Dialog
      title={`New ${props.kind}`}
      onClose={props.onClose}
      draft={name || description ? `the new ${props.kind}` : null}
      footer={<><button className="btn" onClick={props.onClose}>Cancel</button><button className="btn primary" disabled={busy || !name.trim()} onClick={create}>{busy && <span className="spinner" />} Create {props.kind}</button></>}
    >
      <form className="wizard-form" onSubmit={(e) => { e.preventDefault(); if (name.trim() && !busy) create(); }}>
        <label className="field"><span>Name</span><input name="name" value={name} maxLength={props.nameMax} onChange={(e) => setName(e.target.value)} placeholder={props.placeholder} /></label>
        <label className="field"><span>Description</span><input name="description" value={description} maxLength={255} onChange={(e) => setDescription(e.target.value)} placeholder="Optional" /></label>
        <p className="hint">{props.hint}</p>
      </form>
    </Dialog>
  );
}
