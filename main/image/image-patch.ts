import { DeskError, badRequest, conflict, forbidden } from '../core/errors';
import {
  CONTAINER_FORMATS,
  DISK_FORMATS,
  LIMITS,
  READ_ONLY_ATTRS,
  RESERVED_ATTRS,
  RESERVED_PREFIX,
  VISIBILITIES,
  WRITABLE_ATTRS,
  type ContainerFormat,
  type DiskFormat,
  type ImagePatchOp,
  type ImageStatus,
  type ImageVisibility,
} from './image-types';

/** The mutable part of an image, as a PATCH works on it. */
export interface ImageDraft {
  name: string | null;
  visibility: ImageVisibility;
  protected: boolean;
  os_hidden: boolean;
  min_disk: number;
  min_ram: number;
  disk_format: DiskFormat | null;
  container_format: ContainerFormat | null;
  tags: string[];
  owner: string | null;
  properties: Record<string, string>;
}

const includes = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);

/** Decodes a one-segment JSON pointer ('/name', '/a~1b'); Glance patches only top-level attributes. */
export function patchKey(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/') || path.length < 2 || path.indexOf('/', 1) !== -1) {
    throw badRequest(`Invalid JSON pointer for this resource: '${String(path).slice(0, 300)}'`);
  }
  return path.slice(1).replaceAll('~1', '/').replaceAll('~0', '~');
}

/** Rejects names the client may never set (read-only or reserved), as Glance does with 403. */
export function assertSettable(key: string): void {
  if (includes(READ_ONLY_ATTRS, key)) throw forbidden(`Attribute '${key}' is read-only.`);
  if (includes(RESERVED_ATTRS, key) || key.startsWith(RESERVED_PREFIX)) throw forbidden(`Attribute '${key.slice(0, 255)}' is reserved.`);
}

const nonNegInt = (key: string, v: unknown): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw badRequest(`Invalid value for '${key}': expected an integer >= 0.`);
  return v;
};
const bool = (key: string, v: unknown): boolean => {
  if (typeof v !== 'boolean') throw badRequest(`Invalid value for '${key}': expected true or false.`);
  return v;
};

/** Checks a tag list (unique, bounded strings) and returns it. */
export function validTags(v: unknown): string[] {
  if (!Array.isArray(v) || v.some((t) => typeof t !== 'string')) throw badRequest("Invalid value for 'tags': expected an array of strings.");
  const tags = v as string[];
  for (const t of tags) if (t.length === 0 || t.length > LIMITS.tagLength) throw badRequest(`Invalid tag: tags must be 1 to ${LIMITS.tagLength} characters long.`);
  if (new Set(tags).size !== tags.length) throw badRequest("Invalid value for 'tags': tags must be unique.");
  if (tags.length > LIMITS.tags) throw new DeskError('PayloadTooLarge', `Maximum number of tags exceeded: at most ${LIMITS.tags} tags per image.`);
  return tags;
}

/** Checks a custom property key and value against Glance's limits. */
export function validProperty(key: string, v: unknown): string {
  if (key.length === 0 || key.length > LIMITS.propertyKeyLength) throw badRequest(`Invalid property name: names must be 1 to ${LIMITS.propertyKeyLength} characters long.`);
  if (typeof v !== 'string') throw badRequest(`Invalid value for '${key.slice(0, 255)}': custom properties must be strings.`);
  if (v.length > LIMITS.propertyValueLength) throw badRequest(`Invalid value for '${key.slice(0, 255)}': at most ${LIMITS.propertyValueLength} characters.`);
  return v;
}

/** Sets one core attribute on the draft after checking its value. */
export function setCore(draft: ImageDraft, key: string, v: unknown, status: ImageStatus): boolean {
  switch (key) {
    case 'name':
      if (v !== null && (typeof v !== 'string' || v.length > LIMITS.nameLength)) throw badRequest(`Invalid value for 'name': a string of at most ${LIMITS.nameLength} characters, or null.`);
      draft.name = v as string | null;
      return true;
    case 'visibility':
      if (!includes(VISIBILITIES, v)) throw badRequest(`Invalid value for 'visibility': one of ${VISIBILITIES.join(', ')}.`);
      draft.visibility = v;
      return true;
    case 'protected':
      draft.protected = bool(key, v);
      return true;
    case 'os_hidden':
      draft.os_hidden = bool(key, v);
      return true;
    case 'min_disk':
      draft.min_disk = nonNegInt(key, v);
      return true;
    case 'min_ram':
      draft.min_ram = nonNegInt(key, v);
      return true;
    case 'disk_format':
    case 'container_format': {
      const list: readonly string[] = key === 'disk_format' ? DISK_FORMATS : CONTAINER_FORMATS;
      if (v !== null && !includes(list, v)) throw badRequest(`Invalid value for '${key}': one of ${list.join(', ')}.`);
      if (status !== 'queued' && draft[key] !== v) throw forbidden(`Attribute ${key} can be only replaced for a queued image.`);
      if (key === 'disk_format') draft.disk_format = v as DiskFormat | null;
      else draft.container_format = v as ContainerFormat | null;
      return true;
    }
    case 'tags':
      draft.tags = validTags(v);
      return true;
    case 'owner':
      if (v !== null && (typeof v !== 'string' || v.length > 255)) throw badRequest("Invalid value for 'owner': a project id of at most 255 characters, or null.");
      draft.owner = v as string | null;
      return true;
    default:
      return false;
  }
}

/**
 * Applies Glance v2.1 json-patch operations (add / replace / remove on top-level attributes and
 * custom properties) to a copy of the draft; the draft passed in is left untouched.
 */
export function applyImagePatch(current: ImageDraft, ops: ImagePatchOp[], status: ImageStatus): ImageDraft {
  const draft: ImageDraft = { ...current, tags: [...current.tags], properties: { ...current.properties } };
  for (const op of ops) {
    const key = patchKey(op.path);
    assertSettable(key);
    if (op.op === 'add' || op.op === 'replace') {
      if (!('value' in op)) throw badRequest(`Operation '${op.op}' on '${op.path.slice(0, 300)}' needs a value.`);
      if (setCore(draft, key, op.value, status)) continue;
      const exists = Object.hasOwn(draft.properties, key);
      if (op.op === 'replace' && !exists) throw conflict(`Property ${key.slice(0, 255)} does not exist.`);
      if (op.op === 'add' && exists) throw conflict(`Property ${key.slice(0, 255)} already present.`);
      draft.properties[key] = validProperty(key, op.value);
      if (Object.keys(draft.properties).length > LIMITS.properties)
        throw new DeskError('PayloadTooLarge', `Maximum number of image properties exceeded: at most ${LIMITS.properties}.`);
    } else if (op.op === 'remove') {
      if (includes(WRITABLE_ATTRS, key)) throw forbidden(`Attribute '${key}' cannot be removed.`);
      if (!Object.hasOwn(draft.properties, key)) throw conflict(`Property ${key.slice(0, 255)} does not exist.`);
      delete draft.properties[key];
    } else {
      throw badRequest(`Unsupported json-patch operation '${String((op as { op: unknown }).op).slice(0, 50)}': use add, replace or remove.`);
    }
  }
  return draft;
}
