import type { ReactElement } from 'react';
import type { FlavorView, HostView, ImageView, QuotaView } from '../../../../main/api/contract/index';
import { formatBytes, formatRam } from '../../components/meter';
import { flavorRoom, imageFit } from './flavor-room';

function RoomText({ f, image, quota, hosts }: { f: FlavorView; image: ImageView | undefined; quota: QuotaView | null; hosts: HostView[] | null }): ReactElement | null {
  const imgProblem = imageFit(image, f);
  if (imgProblem) return <span className="error-text">{imgProblem}</span>;
  const room = flavorRoom(f, quota, hosts);
  if (room.by === null) return null;
  if (room.n === 0) return <span className="error-text">{room.by === 'quota' ? 'quota is full' : 'no host has room'}</span>;
  const n = room.n > 99 ? '99+' : String(room.n);
  return <span className={room.n < 3 ? 'warn-text' : 'ok-text'}>room for {n}{room.by === 'quota' ? ' within quota' : ' on the hosts'}</span>;
}

/** Step 2: the image and the flavor, each flavor with the room left for it. */
export function SourceStep(props: {
  images: ImageView[];
  flavors: FlavorView[];
  imageId: string;
  flavorId: string;
  onImage: (id: string) => void;
  onFlavor: (id: string) => void;
  quota: QuotaView | null;
  hosts: HostView[] | null;
}): ReactElement {
  const image = props.images.find((i) => i.id === props.imageId);
  return (
    <>
      <div className="field">
        <span className="hint field-label">Image</span>
        {props.images.length === 0 ? (
          <div className="callout amber">No active image yet: upload one on the Images page first.</div>
        ) : (
          <div className="choice-list" role="radiogroup" aria-label="Image">
            {props.images.map((i) => (
              <button type="button" key={i.id} role="radio" aria-checked={i.id === props.imageId} className={`choice${i.id === props.imageId ? ' on' : ''}`} onClick={() => props.onImage(i.id)}>
                <b className="clip">{i.name}</b>
                <span className="tag">{i.diskFormat}</span>
                <span className="meta">{formatBytes(i.size)}</span>
              </button>
            ))}
          </div>
        )}
      </div>
      <div className="field">
        <span className="hint field-label">Flavor</span>
        <div className="choice-list" role="radiogroup" aria-label="Flavor">
          {props.flavors.map((f) => {
            const room = flavorRoom(f, props.quota, props.hosts);
            const bad = imageFit(image, f) !== null || room.n === 0;
            return (
              <button type="button" key={f.id} role="radio" aria-checked={f.id === props.flavorId} className={`choice${f.id === props.flavorId ? ' on' : ''}${bad ? ' disabled' : ''}`} onClick={() => props.onFlavor(f.id)}>
                <b style={{ minWidth: 90 }}>{f.name}</b>
                <span className="muted">{f.vcpus} vCPU · {formatRam(f.ramMb)} · {f.diskGb} GB</span>
                <span className="meta"><RoomText f={f} image={image} quota={props.quota} hosts={props.hosts} /></span>
              </button>
            );
          })}
        </div>
      </div>
    </>
  );
}
