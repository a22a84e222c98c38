import { useEffect, useRef, useState, type ReactElement } from 'react';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { asClientError, client } from '../../api/client';
import type { ConsoleChannel } from '../../api/console-socket';

type Phase = { kind: 'connecting' } | { kind: 'open' } | { kind: 'closed'; reason: string } | { kind: 'error'; message: string };

/** The guest's serial port in xterm.js: what it printed so far, then live both ways. */
export function SerialConsole({ serverId, name }: { serverId: string; name: string }): ReactElement {
  const box = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'connecting' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let live = true;
    let channel: ConsoleChannel | null = null;
    const term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
      fontSize: 12.5,
      scrollback: 5000,
      theme: { background: '#0c0c10', foreground: '#d6d6e0', cursor: '#8d8df5', selectionBackground: '#3a3a66' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    fit.fit();
    const ro = new ResizeObserver(() => fit.fit());
    ro.observe(el);
    const enc = new TextEncoder();
    const typed = term.onData((s) => channel?.send(enc.encode(s)));
    setPhase({ kind: 'connecting' });

    client.openConsole(serverId, 'serial').then(
      (ch) => {
        if (!live) {
          ch.close(1000);
          return;
        }
        channel = ch;
        setPhase({ kind: 'open' });
        ch.onmessage = (m) => term.write(typeof m.data === 'string' ? m.data : new Uint8Array(m.data as ArrayBuffer));
        ch.onclose = (ev) => {
          if (!live) return;
          channel = null;
          setPhase({ kind: 'closed', reason: ev.code === 1000 ? 'The console session ended.' : `The connection to the console was lost (code ${ev.code}).` });
        };
        term.focus();
      },
      (err) => live && setPhase({ kind: 'error', message: asClientError(err).message }),
    );
    return () => {
      live = false;
      typed.dispose();
      ro.disconnect();
      channel?.close(1000);
      term.dispose();
    };
  }, [serverId, attempt]);

  return (
    <div className="console-pane">
      <div className="console-bar">
        <span className={`chip ${phase.kind === 'open' ? 'green' : phase.kind === 'connecting' ? 'blue pulse' : 'amber'}`}>
          {phase.kind === 'open' ? 'Connected' : phase.kind === 'connecting' ? 'Connecting' : 'Disconnected'}
        </span>
        <span className="muted">Serial console of {name} (ttyS0)</span>
        {(phase.kind === 'closed' || phase.kind === 'error') && (
          <button className="btn sm" style={{ marginLeft: 'auto' }} onClick={() => setAttempt((n) => n + 1)}>Reconnect</button>
        )}
      </div>
      {phase.kind === 'error' && <div className="callout amber" role="alert">{phase.message}</div>}
      {phase.kind === 'closed' && <div className="callout blue">{phase.reason} The guest keeps running; reconnect to continue.</div>}
      <div className="xterm-box" ref={box} aria-label={`Serial console of ${name}`} data-testid="serial-console" />
    </div>
  );
}
