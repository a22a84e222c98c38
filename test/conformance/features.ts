// What DeskStack really supports, as Tempest's feature flags. Turning a flag on runs the tests behind
// it; turn one on only together with the feature, never to make a number look better.

export const IDENTITY_FEATURES: Record<string, boolean> = {
  api_v2: false,
  api_v2_admin: false,
  api_v3: true,
  trust: true,
  domain_specific_drivers: false,
  security_compliance: false,
  project_tags: true,
  application_credentials: true,
  access_rules: true,
  immutable_user_source: false,
};

export const COMPUTE_FEATURES: Record<string, boolean> = {
  disk_config: false,
  change_password: false,
  console_output: true,
  resize: false,
  pause: false,
  shelve: false,
  shelve_migrate: false,
  suspend: false,
  cold_migration: false,
  live_migration: false,
  metadata_service: false,
  vnc_console: false,
  spice_console: false,
  serial_console: false,
  rescue: false,
  stable_rescue: false,
  enable_instance_password: true,
  interface_attach: false,
  snapshot: false,
  personality: false,
  attach_encrypted_volume: false,
  config_drive: true,
  swap_volume: false,
  volume_multiattach: false,
  ide_bus: false,
  unified_limits: false,
};

export const IMAGE_FEATURES: Record<string, boolean> = {
  import_image: false,
  os_glance_reserved: true,
  manage_locations: false,
};

/** The selections `npm test` runs, by service (the regexes the conformance issue measured Keystone and Nova with). */
export const SELECTIONS: Record<string, string> = {
  identity: String.raw`^tempest\.api\.identity\.(v3|admin\.v3)\.`,
  compute: String.raw`^tempest\.api\.compute\.(servers|flavors|keypairs|limits|quotas|admin\.test_quotas|admin\.test_servers|admin\.test_hypervisor|server_groups|images)`,
  image: String.raw`^tempest\.api\.image\.v2\.`,
};
