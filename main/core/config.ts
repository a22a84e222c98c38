import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeDataDir } from './data-dir';

export interface Config {
  /** Folder that holds the database, image bytes and the lock file. */
  dataDir: string;
  /** Multiplies every simulated delay of the fake driver: 1 is realistic, 0 is instant. */
  fakeDelayScale: number;
  /** Token lifetime in seconds (Keystone's default is one hour). */
  tokenTtlSeconds: number;
  /** Largest JSON body the REST API accepts, in bytes. */
  maxJsonBody: number;
  /** Largest image upload, in bytes. */
  maxImageBytes: number;
  /**
   * Seals DeskStack's SSH private key at rest; never logged or shown. The desktop app passes the one
   * its OS keychain keeps; otherwise DESKSTACK_KEY_PASSPHRASE, read here once (nothing else reads it).
   */
  keyPassphrase?: string;
}

export function defaultDataDir(): string {
  return process.env.DESKSTACK_DATA ?? join(homedir(), '.local', 'share', 'deskstack');
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const scale = Number(process.env.DESKSTACK_FAKE_DELAY_SCALE ?? '1');
  const cfg: Config = {
    dataDir: resolve(overrides.dataDir ?? defaultDataDir()),
    fakeDelayScale: Number.isFinite(scale) && scale >= 0 ? scale : 1,
    tokenTtlSeconds: 3600,
    maxJsonBody: 1024 * 1024,
    maxImageBytes: 64 * 1024 ** 3,
    ...(process.env.DESKSTACK_KEY_PASSPHRASE ? { keyPassphrase: process.env.DESKSTACK_KEY_PASSPHRASE } : {}),
    ...overrides,
  };
  makeDataDir(cfg.dataDir);
  return cfg;
}
