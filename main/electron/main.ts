// Electron entry: the only place that imports electron. It hosts the control plane in the main
// process and shows the renderer in a locked-down window that talks to it over validated IPC.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, session as electronSession } from 'electron';
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
  const session = control.identity.loginLocalAdmin();
  const stopIpc = startIpcHost(control, win, () => session);
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
    // SSH private keys are sealed with a passphrase the OS keychain keeps.
    const passphrase = process.env.DESKSTACK_KEY_PASSPHRASE ?? keyPassphrase(join(app.getPath('userData'), 'key-passphrase.bin'));
    if (passphrase) process.env.DESKSTACK_KEY_PASSPHRASE = passphrase;
    cp = await createControlPlane({ dataDir, logger: createLogger() });
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

app.on('before-quit', () => {
  void cp?.close();
});

// One control plane per data folder: a second launch focuses the first window.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  void start();
}
