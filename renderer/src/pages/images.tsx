import { useState, type ReactElement } from 'react';
import type { ImageView } from '../../../main/api/contract/index';
import { asClientError, client } from '../api/client';
import { ConfirmDialog, Dialog } from '../components/dialog';
import { Icon } from '../components/icons';
import { formatBytes, Progress, timeAgo } from '../components/meter';
import { StatusChip } from '../components/status-chip';
import { VirtualTable, type Column } from '../components/virtual-table';
import { selectImages, useData } from '../stores/data';
import { toast } from '../stores/ui';
import { plural } from '../components/plural';

type DiskFormat = 'qcow2' | 'raw' | 'iso' | 'vmdk' | 'vdi' | 'vhd' | 'vhdx';
const FORMATS: DiskFormat[] = ['qcow2', 'raw', 'iso', 'vmdk', 'vdi', 'vhd', 'vhdx'];

function guessFormat(file: string): DiskFormat {
  const ext = file.toLowerCase().split('.').pop() ?? '';
  if (ext === 'img' || ext === 'qcow2') return 'qcow2';
  return (FORMATS as string[]).includes(ext) ? (ext as DiskFormat) : 'raw';
}

function UploadDialog({ onClose }: { onClose: () => void }): ReactElement {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [format, setFormat] = useState<DiskFormat>('qcow2');
  const [visibility, setVisibility] = useState<'private' | 'public'>('private');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function upload(): Promise<void> {
    if (!file) return;
    setError(null);
    setProgress(0);
    let created: ImageView | null = null;
    try {
      created = await client.call('imageCreate', { name: name.trim(), diskFormat: format, containerFormat: 'bare', visibility });
      await client.uploadImage(created.id, file, setProgress);
      toast('success', `Image ${name} uploaded`, formatBytes(file.size));
      onClose();
    } catch (err) {
      setError(asClientError(err).message + (created ? ' The image record stays in "queued"; delete it or upload again.' : ''));
      setProgress(null);
    }
  }

  return (
    <Dialog
      title="Upload image"
      onClose={onClose}
      draft={file && progress === null ? 'this upload' : null}
      footer={
        <>
          <button className="btn" onClick={onClose}>{progress !== null ? 'Hide' : 'Cancel'}</button>
          <button className="btn primary" disabled={!file || !name.trim() || progress !== null} onClick={() => void upload()}><Icon.upload /> Upload</button>
        </>
      }
    >
      <label className="field">
        <span>File</span>
        <input
          type="file"
          name="file"
          accept=".qcow2,.img,.raw,.iso,.vmdk,.vdi,.vhd,.vhdx"
          style={{ height: 'auto', padding: 6 }}
          onChange={(e) => {
            const f = e.target.files?.[0] ?? null;
            setFile(f);
            if (f) {
              setFormat(guessFormat(f.name));
              if (!name) setName(f.name.replace(/\.(qcow2|img|raw|iso|vmdk|vdi|vhd|vhdx)$/i, ''));
            }
          }}
        />
        {file && <span className="hint">{formatBytes(file.size)}</span>}
      </label>
      <label className="field">
        <span>Name</span>
        <input name="name" value={name} maxLength={255} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="grid cols-2">
        <label className="field">
          <span>Disk format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as DiskFormat)}>
            {FORMATS.map((f) => <option key={f}>{f}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Visibility</span>
          <select value={visibility} onChange={(e) => setVisibility(e.target.value as 'private' | 'public')}>
            <option value="private">private — this project</option>
            <option value="public">public — every project</option>
          </select>
        </label>
      </div>
      {progress !== null && (
        <div className="field">
          <span className="hint">Uploading… {Math.round(progress * 100)}%</span>
          <Progress value={progress} />
        </div>
      )}
      {error && <div className="callout red">{error}</div>}
    </Dialog>
  );
}

export function ImagesPage(): ReactElement {
  const images = useData(selectImages);
  const [filter, setFilter] = useState('');
  const [uploading, setUploading] = useState(false);
  const [toDelete, setToDelete] = useState<ImageView | null>(null);
  const rows = filter ? images.filter((i) => i.name.toLowerCase().includes(filter.toLowerCase()) || i.id.startsWith(filter)) : images;

  const columns: Column<ImageView>[] = [
    { key: 'name', label: 'Name', width: 'minmax(160px, 2fr)', sortValue: (i) => i.name, render: (i) => <b style={{ fontWeight: 550 }}>{i.name || <span className="muted">(no name)</span>}</b> },
    { key: 'status', label: 'Status', width: '110px', sortValue: (i) => i.status, render: (i) => <StatusChip status={i.status.toUpperCase()} /> },
    { key: 'format', label: 'Format', width: '80px', sortValue: (i) => i.diskFormat ?? '', render: (i) => <span className="tag">{i.diskFormat ?? '—'}</span> },
    { key: 'size', label: 'Size', width: '90px', sortValue: (i) => i.size ?? 0, render: (i) => formatBytes(i.size) },
    { key: 'visibility', label: 'Visibility', width: '90px', sortValue: (i) => i.visibility, render: (i) => i.visibility },
    { key: 'created', label: 'Created', width: '90px', sortValue: (i) => i.createdAt, render: (i) => <span className="muted">{timeAgo(i.createdAt)}</span> },
    {
      key: 'actions',
      label: '',
      width: '44px',
      render: (i) => (
        <button className="btn ghost sm icon-btn danger" aria-label={`Delete image ${i.name}`} disabled={i.protected} title={i.protected ? 'Protected image' : 'Delete'} onClick={(e) => { e.stopPropagation(); setToDelete(i); }}>
          <Icon.trash />
        </button>
      ),
    },
  ];

  return (
    <div className="page" style={{ overflow: 'hidden' }}>
      <div className="page-head">
        <h1>Images</h1>
        <span className="sub">{plural(images.length, 'image')}</span>
        <div className="actions">
          <button className="btn primary" onClick={() => setUploading(true)}><Icon.upload /> Upload image</button>
        </div>
      </div>
      <div className="table-wrap">
        <div className="table-toolbar">
          <input placeholder="Filter images…" aria-label="Filter images" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <span className="count">{rows.length === images.length ? plural(images.length, 'image') : `${rows.length} of ${images.length}`}</span>
        </div>
        <VirtualTable label="Images" rows={rows} columns={columns} rowKey={(i) => i.id} initialSort={{ key: 'name', dir: 'asc' }} empty={<div className="empty"><Icon.images /><h2>No images</h2><p>Upload a qcow2 or ISO to boot instances from.</p></div>} />
      </div>
      {uploading && <UploadDialog onClose={() => setUploading(false)} />}
      {toDelete && (
        <ConfirmDialog
          title={`Delete image ${toDelete.name}?`}
          confirmLabel="Delete image"
          body={<p>This deletes the image <b>{toDelete.name}</b> and its {formatBytes(toDelete.size)} of data. Instances already running from it keep working.</p>}
          onClose={() => setToDelete(null)}
          onConfirm={async () => {
            try {
              await client.call('imageDelete', { id: toDelete.id });
              setToDelete(null);
            } catch (err) {
              toast('error', `Delete ${toDelete.name} failed`, asClientError(err).message);
            }
          }}
        />
      )}
    </div>
  );
}
