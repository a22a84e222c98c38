import { parse } from 'yaml';

/** Checks cloud-init user-data as cloud-init reads it: `#cloud-config` YAML, or a `#!` script. Null when valid. */
export function validateUserData(text: string): string | null {
  if (!text.trim()) return null;
  if (text.startsWith('#!')) return null;
  if (text.startsWith('#cloud-config')) {
    try {
      const doc: unknown = parse(text);
      if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) return 'The #cloud-config document must be a YAML mapping (key: value lines).';
      return null;
    } catch (err) {
      const msg = (err instanceof Error ? err.message.split('\n')[0] : String(err)).replace(/:\s*$/, '');
      return `Invalid YAML: ${msg}`;
    }
  }
  return 'User-data must start with "#cloud-config" (YAML) or "#!" (a script).';
}
