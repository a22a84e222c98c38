// The Neutron API extensions whose attributes DeskStack's network documents actually carry.
const UPDATED = '2024-01-01T00:00:00-00:00';

export interface NeutronExtension {
  name: string;
  alias: string;
  description: string;
  updated: string;
  links: never[];
}

const ext = (alias: string, name: string, description: string): NeutronExtension => ({ name, alias, description, updated: UPDATED, links: [] });

export const EXTENSIONS: NeutronExtension[] = [
  ext('external-net', 'Neutron external network', 'Adds external network attribute to network resource.'),
  ext('network-mtu', 'Network MTU', 'Provides MTU attribute for a network resource.'),
  ext('project-id', 'project_id field enabled', 'Extension that indicates that project_id field is enabled.'),
  ext('standard-attr-description', 'standard-attr-description', 'Extension to add descriptions to standard attributes'),
  ext('standard-attr-timestamp', 'Resource timestamps', 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.'),
  ext('standard-attr-revisions', 'Resource revision numbers', 'This extension will display the revision number of neutron resources.'),
  ext('availability_zone', 'Availability Zone', 'The availability zone extension.'),
  ext('port-security', 'Port Security', 'Provides port security'),
];
