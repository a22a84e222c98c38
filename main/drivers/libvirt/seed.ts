// The cloud-init NoCloud seed: meta-data (instance-id, local-hostname) and user-data carrying the
// keypair's public keys merged with the user's own user_data.
import { randomBytes } from 'node:crypto';
import { isMap, parseDocument, stringify } from 'yaml';

export function buildMetaData(instanceId: string, hostname: string): string {
  // JSON strings are valid YAML scalars, so nothing in a value can break the document
  return `instance-id: ${JSON.stringify(instanceId)}\nlocal-hostname: ${JSON.stringify(hostname)}\n`;
}

function ourCloudConfig(publicKeys: readonly string[]): string {
  return `#cloud-config\n${publicKeys.length ? stringify({ ssh_authorized_keys: [...publicKeys] }) : ''}`;
}

/** A `#cloud-config` user_data with our keys added, or undefined when it is not a YAML mapping. */
function mergeIntoCloudConfig(userData: string, publicKeys: readonly string[]): string | undefined {
  const doc = parseDocument(userData);
  if (doc.errors.length > 0) return undefined;
  if (doc.contents === null) return ourCloudConfig(publicKeys);
  if (!isMap(doc.contents)) return undefined;
  if (publicKeys.length === 0) return userData;
  const existing = doc.get('ssh_authorized_keys');
  const theirs = existing === undefined ? [] : (doc.toJS() as { ssh_authorized_keys?: unknown }).ssh_authorized_keys;
  if (!Array.isArray(theirs)) return undefined;
  doc.set('ssh_authorized_keys', [...new Set([...theirs.map(String), ...publicKeys])]);
  return `#cloud-config\n${doc.toString()}`;
}

/** cloud-init's content type for a user_data part, from its first line. */
function partType(userData: string): string {
  const first = userData.slice(0, userData.indexOf('\n') >>> 0).trim();
  if (first.startsWith('#!')) return 'text/x-shellscript';
  if (first.startsWith('#include')) return 'text/x-include-url';
  if (first.startsWith('#cloud-boothook')) return 'text/cloud-boothook';
  if (first.startsWith('#cloud-config-archive')) return 'text/cloud-config-archive';
  if (first.startsWith('#cloud-config')) return 'text/cloud-config';
  if (first.startsWith('#part-handler')) return 'text/part-handler';
  return 'text/plain';
}

function mimeMultipart(ours: string, userData: string): string {
  const boundary = `==DESKSTACK-${randomBytes(12).toString('hex')}==`;
  // a MIME user_data already has its own headers; anything else gets ours, base64 so no byte can end the part early
  const theirs = /^content-type:/i.test(userData)
    ? userData
    : `Content-Type: ${partType(userData)}; charset="utf-8"\nMIME-Version: 1.0\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename="user-data"\n\n${Buffer.from(userData).toString('base64').replace(/.{76}/g, '$&\n')}`;
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    'MIME-Version: 1.0',
    '',
    `--${boundary}`,
    'Content-Type: text/cloud-config; charset="utf-8"',
    'MIME-Version: 1.0',
    'Content-Disposition: attachment; filename="deskstack.cfg"',
    '',
    ours,
    `--${boundary}`,
    theirs,
    `--${boundary}--`,
    '',
  ].join('\n');
}

/** user-data with the public keys authorised, applying the user's user_data too. */
export function buildUserData(publicKeys: readonly string[], userData?: string): string {
  if (userData === undefined || userData.trim() === '') return ourCloudConfig(publicKeys);
  if (/^#cloud-config[ \t]*\r?\n/.test(userData) || userData.trim() === '#cloud-config') {
    const merged = mergeIntoCloudConfig(userData, publicKeys);
    if (merged !== undefined) return merged;
  }
  return mimeMultipart(ourCloudConfig(publicKeys), userData);
}
