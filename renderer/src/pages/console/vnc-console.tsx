import { useEffect, useRef, useState, type ReactElement } from 'react';
import RFB from '@novnc/novnc';
import { asClientError, client } from '../../api/client';
import { Icon } from '../../components/icons';

const XK_RETURN = 0xff0d;
const XK_TAB = 0xff09;

/** Types text into the guest key by key (Latin-1 keysyms equal their code points); most guests have no clipboard agent. */
function typeInto(rfb: RFB, text: string): void {
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') rfb.sendKey(XK_RETURN, 'Enter');
    else if (ch === '\t') rfb.sendKey(XK_TAB, 'Tab');
    else if (cp >= 0x20 && cp <= 0xff) rfb.sendKey(cp, null);
    else if (cp > 0xff) rfb.sendKey(0x01000000 + cp, null);
  }
}

type Phase = { kind: 'connecting' } | { kind: 'open' } | { kind: 'closed'; reason: string } | { kind: 'error'; message: string; unavailable: boolean };

/** The guest's graphical console through noVNC, with Ctrl-Alt-Del and clipboard paste. */
export function VncConsole({ serverId, name, onUseSerial }: { serverId: string; name: string; onUseSerial: () => void }): ReactElement {
  const screen = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  const [attempt, setAttempt] = useState(0);
  const [paste, setPaste] = useState('');

  useEffect(() => {
    const el = screen.current;
    if (!el) return;
    let live = true;
    setPhase({ kind: 'connecting' });
    client.openConsole(serverId, 'vnc').then(
      (ch) => {
        if (!live) {
          ch.close(1000);
          return;
        }
        const rfb = new RFB(el, ch, { shared: true });
        rfb.scaleViewport = true;
        rfb.background = '#0c0c10';
        rfbRef.current = rfb;
        rfb.addEventListener('connect', () => live && setPhase({ kind: 'open' }));
        rfb.addEventListener('disconnect', (e) => {
          rfbRef.current = null;
          const clean = (e as CustomEvent<{ clean: boolean }>).detail?.clean;
          if (live) setPhase({ kind: 'closed', reason: clean ? 'The graphical console session ended.' : 'The connection to the graphical console was lost.' });
        });
        rfb.addEventListener('securityfailure', (e) => {
          const reason = (e as CustomEvent<{ reason?: string }>).detail?.reason;
          if (live) setPhase({ kind: 'error', message: `The VNC server refused the session${reason ? `: ${reason}` : ''}.`, unavailable: false });
        });
      },
      (err) => {
        const e = asClientError(err);
        if (live) setPhase({ kind: 'error', message: e.message, unavailable: e.code === 'Unavailable' || e.code === 'NotImplemented' });
      },
    );
    return () => {
      live = false;
      rfbRef.current?.disconnect();
      rfbRef.current = null;
    };
  }, [serverId, attempt]);

  const open = phase.kind === 'open';
  return (
    <div className="console-pane">
      <div className="console-bar">
        <span className={`chip ${open ? 'green' : phase.kind === 'connecting' ? 'blue pulse' : 'amber'}`}>{open ? 'Connected' : phase.kind === 'connecting' ? 'Connecting' : 'Disconnected'}</span>
        <button className="btn sm" disabled={!open} onClick={() => rfbRef.current?.sendCtrlAltDel()} title="Send Ctrl-Alt-Del to the guest">Ctrl-Alt-Del</button>
        {(phase.kind === 'closed' || phase.kind === 'error') && <button className="btn sm" style={{ marginLeft: 'auto' }} onClick={() => setAttempt((n) => n + 1)}>Reconnect</button>}
      </div>
      {phase.kind === 'error' && (
        <div className={`callout ${phase.unavailable ? 'blue' : 'amber'}`} role="alert">
          <Icon.warn />
          <div>
            <b>No graphical console.</b> {phase.message}
            {phase.unavailable && (
              <div style={{ marginTop: 6 }}>
                <button className="btn sm" onClick={onUseSerial}><Icon.terminal /> Open the serial console</button>
              </div>
            )}
          </div>
        </div>
      )}
      {phase.kind === 'closed' && <div className="callout blue">{phase.reason} The guest keeps running; reconnect to continue.</div>}
      <div className="vnc-screen" ref={screen} aria-label={`Graphical console of ${name}`} hidden={phase.kind === 'error'} />
      {phase.kind !== 'error' && (
      <form
        className="row paste-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!paste || !rfbRef.current) return;
          typeInto(rfbRef.current, paste);
          setPaste('');
        }}
      >
        <input placeholder="Paste text here to type it into the guest" value={paste} onChange={(e) => setPaste(e.target.value)} disabled={!open} aria-label="Text to type into the guest" />
        <button className="btn sm" disabled={!open || !paste}>Type it</button>
        <button
          type="button"
          className="btn sm"
          disabled={!open || !paste}
          title="Sets the guest's clipboard (needs a clipboard agent in the guest)"
          onClick={() => {
            rfbRef.current?.clipboardPasteFrom(paste);
            setPaste('');
          }}
        >
          Send to clipboard
        </button>
      </form>
      )}
    </div>
  );
}
