// The identity REST tests' view of the real test server (whole control plane, no demo rack).
import type { ControlPlane } from '../../main/control-plane';
import type { Config } from '../../main/core/config';
import type { IdentityService } from '../../main/identity/identity-service';
import { ADMIN_PASSWORD, startTestServer } from '../helpers/test-server';

export { ADMIN_PASSWORD };

export interface IdentityHarness {
  url: string;
  cp: ControlPlane;
  identity: IdentityService;
  config: Config;
  token(user?: string, password?: string, project?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startIdentityHarness(): Promise<IdentityHarness> {
  const s = await startTestServer({ demo: false });
  return { url: s.url, cp: s.cp, identity: s.cp.identity, config: s.cp.config, token: (...a) => s.token(...a), close: () => s.close() };
}
