// Electron entry: the only place that imports electron. It hosts the control plane in the main
// process and shows the renderer in a locked-down window that talks to it over validated IPC.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, session as electronSession } from 'electron';
import { WindowSession } from '../api/rpc/session';
import { createControlPlane, type ControlPlane } from '../control-plane';
import { createLogger } from '../core/log';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { startIpcHost } from './ipc-host';
import { keyPassphrase } from './key-passphrase';
import { APP_ORIGIN, lockDownSession, lockDownWindow } from './security';

registerAppScheme();

let cp: ControlPlane | null = null;

async function createWindow(control: ControlPlane): Promise<void> {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 700,
    title: 'DeskStack',
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      preload: join(__dirname, '..', 'preload', 'index.cjs'),
    },
  });
  lockDownWindow(win);
  const stopIpc = startIpcHost(control, win, new WindowSession(control.identity.loginLocalAdmin()));
  win.on('closed', stopIpc);
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  await app.whenReady();
  lockDownSession(electronSession.defaultSession);
  serveAppProtocol(join(__dirname, '..', 'renderer'));
  try {
    const dataDir = join(app.getPath('userData'), 'data');
    // SSH private keys are sealed with a passphrase the OS keychain keeps (it takes the place of
    // DESKSTACK_KEY_PASSPHRASE); passed as an option, never put into process.env, which children inherit.
    const passphrase = keyPassphrase(join(app.getPath('userData'), 'key-passphrase.bin'));
    cp = await createControlPlane({ dataDir, keyPassphrase: passphrase, logger: createLogger() });
    if (cp.keyAtRest === 'clear') cp.log.warn('no OS keychain is available: DeskStack\'s SSH key stays unencrypted (owner-only); set DESKSTACK_KEY_PASSPHRASE to seal it');
  } catch (err) {
    dialog.showErrorBox('DeskStack could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  await createWindow(cp);
  app.on('activate', () => {
    if (cp && BrowserWindow.getAllWindows().length === 0) void createWindow(cp);
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

/** How long quitting waits for the control plane to stop its tasks and close the database. */
const CLOSE_TIMEOUT_MS = 10_000;
let quitting = false;

// Hold the quit until the control plane has closed (or the timeout passed), then exit for real.
app.on('before-quit', (event) => {
  if (!cp || quitting) return;
  event.preventDefault();
  quitting = true;
  const control = cp;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
  void Promise.race([control.close(), timeout])
    .catch((err: unknown) => control.log.error({ err }, 'the control plane did not close cleanly'))
    .finally(() => {
      clearTimeout(timer);
      app.exit(0);
    });
});

// One control plane per data folder: a second launch focuses the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  void start();
}
