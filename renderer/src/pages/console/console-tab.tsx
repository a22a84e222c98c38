import { useState, type ReactElement } from 'react';
import type { ServerView } from '../../../../main/api/contract/index';
import { ConsoleLogView } from './console-log-view';
import { SerialConsole } from './serial-console';
import { VncConsole } from './vnc-console';

export type ConsoleMode = 'serial' | 'vnc' | 'log';

const LABEL: Record<ConsoleMode, string> = { serial: 'Serial', vnc: 'Graphical (VNC)', log: 'Log' };

/** The instance's consoles: live serial (xterm.js), live graphical (noVNC), and the console log. */
export function ConsoleTab({ server }: { server: ServerView }): ReactElement {
  const running = server.status === 'ACTIVE';
  const [mode, setMode] = useState<ConsoleMode>(running ? 'serial' : 'log');
  const shown: ConsoleMode = running ? mode : 'log';
  return (
    <div className="console-tab">
      <div className="segmented" role="tablist" aria-label="Console kind">
        {(['serial', 'vnc', 'log'] as ConsoleMode[]).map((m) => (
          <button key={m} role="tab" aria-selected={shown === m} className={shown === m ? 'on' : ''} disabled={!running && m !== 'log'} onClick={() => setMode(m)}>
            {LABEL[m]}
          </button>
        ))}
      </div>
      {!running && <div className="hint">Live consoles need a running instance ({server.status}{server.taskState ? `, ${server.taskState}` : ''}); the log below stays readable.</div>}
      {shown === 'serial' && <SerialConsole key={server.id} serverId={server.id} name={server.name} />}
      {shown === 'vnc' && <VncConsole key={server.id} serverId={server.id} name={server.name} onUseSerial={() => setMode('serial')} />}
      {shown === 'log' && <ConsoleLogView server={server} />}
    </div>
  );
}
