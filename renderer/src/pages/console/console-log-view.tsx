import { useEffect, useState, type ReactElement } from 'react';
import type { ServerView } from '../../../../main/api/contract/index';
import { asClientError, client } from '../../api/client';

/** The serial console's log as text (Nova's os-getConsoleOutput), readable even when the guest is off. */
export function ConsoleLogView({ server }: { server: ServerView }): ReactElement {
  const [output, setOutput] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Reload when the server changes state (a boot writes new lines), not on a timer.
  useEffect(() => {
    let live = true;
    client.call('serverConsoleLog', { id: server.id, lines: 500 }).then(
      (r) => live && (setOutput(r.output), setError(null)),
      (err) => live && setError(asClientError(err).message),
    );
    return () => {
      live = false;
    };
  }, [server.id, server.status, server.taskState]);
  if (error) return <div className="callout amber">{error}</div>;
  return <pre className="console" aria-label="Console log">{output === null ? 'Loading…' : output || 'The console is empty.'}</pre>;
}
