// Guest hostnames as Nova makes them (nova/utils.py sanitize_hostname, compute/api.py
// _populate_instance_names): derived from the display name unless one was asked for (2.90).

/** Nova's sanitising of a display name into a hostname; `fallback` when nothing is left. */
export function hostnameFor(name: string, fallback = 'server'): string {
  const h = name
    .slice(0, 63)
    .replace(/[ _.]/g, '-')
    .replace(/[^A-Za-z0-9-]/g, '')
    .toLowerCase()
    .replace(/^[.-]+|[.-]+$/g, '');
  return h || fallback;
}

/** The hostname of server `index` (0-based) of `count`: an asked-for one as is, else the name's with Nova's -N suffix. */
export function hostnameOf(requested: string | undefined, name: string, id: string, count: number, index: number): string {
  if (requested) return requested;
  const base = hostnameFor(name, '');
  if (!base) return `Server-${id}`;
  return count > 1 ? `${base}-${index + 1}` : base;
}
