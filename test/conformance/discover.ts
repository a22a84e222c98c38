// Reads from a running DeskStack what tempest.conf needs: the catalog's services, Nova's microversion
// range, and the image, flavor and network a test server boots with.
import type { ServerFacts } from './tempest-conf';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-side JSON of known shapes
async function json(url: string, init: RequestInit = {}): Promise<{ body: any; headers: Headers }> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return { body: await res.json(), headers: res.headers };
}

export async function discover(url: string, adminPassword: string): Promise<ServerFacts> {
  const auth = {
    auth: {
      identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: adminPassword } } },
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
  };
  const tok = await json(`${url}/identity/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(auth) });
  const token = tok.headers.get('x-subject-token')!;
  const catalog = tok.body.token.catalog as Array<{ type: string }>;
  const h = { 'x-auth-token': token };

  const versions = (await json(`${url}/compute/`)).body.versions as Array<{ id: string; version: string; min_version: string }>;
  const v21 = versions.find((v) => v.id === 'v2.1');
  if (!v21) throw new Error('the compute version document has no v2.1');

  const images = (await json(`${url}/image/v2/images?status=active`, { headers: h })).body.images as Array<{ id: string; name: string }>;
  const flavors = (await json(`${url}/compute/v2.1/flavors/detail`, { headers: h })).body.flavors as Array<{ id: string; name: string; ram: number }>;
  const networks = (await json(`${url}/network/v2.0/networks?shared=true`, { headers: h })).body.networks as Array<{ name: string }>;
  if (images.length === 0 || flavors.length < 2 || networks.length === 0) throw new Error('the demo cloud lacks an image, two flavors or a shared network');
  const bySize = [...flavors].sort((a, b) => a.ram - b.ram);
  return {
    url,
    adminPassword,
    services: catalog.map((s) => s.type),
    computeMinVersion: v21.min_version,
    computeMaxVersion: v21.version,
    imageRef: images[0].id,
    imageRefAlt: (images[1] ?? images[0]).id,
    flavorRef: bySize[0].id,
    flavorRefAlt: bySize[1].id,
    networkName: networks[0].name,
  };
}
