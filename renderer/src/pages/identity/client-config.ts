// What a user pastes into OpenStack clients, Terraform or Ansible to use an application credential.

export interface ClientConfigInput {
  name: string;
  id: string;
  secret: string;
  /** Null when this control plane serves no REST API (the desktop app): a placeholder stands in. */
  authUrl: string | null;
  regionName: string;
}

export const AUTH_URL_PLACEHOLDER = 'http://HOST:7480/identity/v3';

/** A clouds.yaml entry name from the credential's name: lower case letters, digits, - and _. */
export function cloudName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug ? `deskstack-${slug}` : 'deskstack';
}

// JSON strings are valid YAML double-quoted scalars, whatever the text holds.
const yamlString = (v: string): string => JSON.stringify(v);

/** A complete clouds.yaml (use with `openstack --os-cloud NAME` or OS_CLOUD=NAME). */
export function cloudsYaml(c: ClientConfigInput): string {
  return [
    'clouds:',
    `  ${cloudName(c.name)}:`,
    '    auth_type: v3applicationcredential',
    '    auth:',
    `      auth_url: ${yamlString(c.authUrl ?? AUTH_URL_PLACEHOLDER)}`,
    `      application_credential_id: ${yamlString(c.id)}`,
    `      application_credential_secret: ${yamlString(c.secret)}`,
    `    region_name: ${yamlString(c.regionName)}`,
    '    interface: public',
    '    identity_api_version: 3',
    '',
  ].join('\n');
}

// Single quotes keep every character literal in POSIX shells; a quote inside ends, escapes and reopens.
const shellWord = (v: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replaceAll("'", "'\\''")}'`);

/** The same as environment variables for a POSIX shell (openstack CLI, Terraform's provider, Ansible's modules). */
export function envLines(c: ClientConfigInput): string {
  const vars: Array<[string, string]> = [
    ['OS_AUTH_TYPE', 'v3applicationcredential'],
    ['OS_AUTH_URL', c.authUrl ?? AUTH_URL_PLACEHOLDER],
    ['OS_IDENTITY_API_VERSION', '3'],
    ['OS_REGION_NAME', c.regionName],
    ['OS_INTERFACE', 'public'],
    ['OS_APPLICATION_CREDENTIAL_ID', c.id],
    ['OS_APPLICATION_CREDENTIAL_SECRET', c.secret],
  ];
  return vars.map(([k, v]) => `export ${k}=${shellWord(v)}`).join('\n') + '\n';
}
