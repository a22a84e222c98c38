import { invalidInput } from './identity-errors';

// Keystone's schema limits: project and domain names 64 characters, user, group and role names 255.
export const NAME_LIMITS = { project: 64, domain: 64, user: 255, role: 255, group: 255, 'application credential': 255 } as const;

/** Checks a name like Keystone's JSON schema does: 1..max characters, at least one that is not a space. */
export function checkName(kind: keyof typeof NAME_LIMITS, name: unknown): string {
  const max = NAME_LIMITS[kind];
  if (typeof name !== 'string') throw invalidInput('name', `${JSON.stringify(name ?? null)} is not of type 'string'`);
  if (name.length === 0 || !/\S/.test(name)) throw invalidInput('name', `a ${kind} name must contain at least one non-space character`);
  if (name.length > max) throw invalidInput('name', `a ${kind} name is at most ${max} characters long (got ${name.length})`);
  return name;
}

/** Project tags: Keystone allows up to 80 tags of 1..255 characters without '/' or ','. */
export function checkTags(tags: string[]): string[] {
  if (tags.length > 80) throw invalidInput('tags', 'at most 80 tags are allowed');
  for (const t of tags) {
    if (t.length === 0 || t.length > 255 || /[/,]/.test(t)) throw invalidInput('tags', `tag ${JSON.stringify(t.slice(0, 40))} must be 1..255 characters without '/' or ','`);
  }
  return [...new Set(tags)];
}
