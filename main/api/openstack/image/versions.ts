// Glance's version document: clients (keystoneauth discovery) read it at the service root.

const CURRENT = 'v2.9';
const SUPPORTED = ['v2.7', 'v2.6', 'v2.5', 'v2.4', 'v2.3', 'v2.2', 'v2.1', 'v2.0'];

export interface GlanceVersion {
  id: string;
  status: 'CURRENT' | 'SUPPORTED';
  links: Array<{ rel: 'self'; href: string }>;
}

/** `{versions:[…]}` with every v2.x pointing at `<base>/image/v2/`, as Glance answers with 300. */
export function glanceVersions(base: string): { versions: GlanceVersion[] } {
  const href = `${base}/image/v2/`;
  return {
    versions: [
      { id: CURRENT, status: 'CURRENT', links: [{ rel: 'self', href }] },
      ...SUPPORTED.map((id) => ({ id, status: 'SUPPORTED' as const, links: [{ rel: 'self' as const, href }] })),
    ],
  };
}
