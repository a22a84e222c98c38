import type { Db } from '../../core/db';
import { nowIso } from '../../core/ids';
import { setSettingIfAbsent } from '../../core/settings';
import type { MetadefStore } from './metadef-store';
import type { PropertyDefinition, ResourceTypeAssociationInput } from './metadef-types';

// The catalog a fresh DeskStack starts with, like the namespaces Glance ships for `glance-manage
// db_load_metadefs`: the image and flavor properties Nova's libvirt driver understands, so Horizon's
// "Update Metadata" dialogs offer them. Loaded once per data folder; admins may change or delete it.

const SEEDED_KEY = 'image.metadefs.seeded';

const IMAGE = 'OS::Glance::Image';
const FLAVOR = 'OS::Nova::Flavor';
const VOLUME = 'OS::Cinder::Volume';
/** Resource types known even before any namespace names them. */
const RESOURCE_TYPES = [IMAGE, VOLUME, FLAVOR, 'OS::Nova::Server', 'OS::Nova::Aggregate'];

interface SeedNamespace {
  namespace: string;
  display_name: string;
  description: string;
  resource_type_associations: ResourceTypeAssociationInput[];
  properties: Record<string, PropertyDefinition>;
}

const str = (title: string, description: string, extra: Partial<PropertyDefinition> = {}): PropertyDefinition => ({ title, description, type: 'string', ...extra });
const int = (title: string, description: string, extra: Partial<PropertyDefinition> = {}): PropertyDefinition => ({ title, description, type: 'integer', minimum: 1, ...extra });
const bool = (title: string, description: string): PropertyDefinition => ({ title, description, type: 'boolean' });
// Image properties are hw_<name>; flavor extra specs are hw:<name>; a volume passes its image properties on.
const hwEverywhere: ResourceTypeAssociationInput[] = [
  { name: IMAGE, prefix: 'hw_' },
  { name: VOLUME, prefix: 'hw_', properties_target: 'image' },
  { name: FLAVOR, prefix: 'hw:' },
];
const imageOnly: ResourceTypeAssociationInput[] = [{ name: IMAGE }, { name: VOLUME, properties_target: 'image' }];

const CATALOG: SeedNamespace[] = [
  {
    namespace: 'OS::Compute::LibvirtImage',
    display_name: 'libvirt Driver Options for Images',
    description: 'How the libvirt (KVM/QEMU) driver presents virtual hardware to a guest booted from this image.',
    resource_type_associations: imageOnly,
    properties: {
      hw_disk_bus: str('Disk Bus', 'Bus the root disk is attached to; virtio is fastest and needs virtio drivers in the guest.', { enum: ['virtio', 'scsi', 'sata', 'ide', 'usb', 'fdc'] }),
      hw_cdrom_bus: str('CD-ROM Bus', 'Bus a CD-ROM device (for example a config drive) is attached to.', { enum: ['sata', 'scsi', 'ide', 'usb'] }),
      hw_scsi_model: str('SCSI Model', 'Controller model when the disk bus is scsi.', { enum: ['virtio-scsi'] }),
      hw_vif_model: str('Virtual Network Interface', 'Network card model the guest sees; virtio is fastest, e1000 works without drivers in most guests.', {
        enum: ['virtio', 'e1000', 'e1000e', 'rtl8139', 'ne2k_pci', 'pcnet', 'vmxnet3'],
      }),
      hw_vif_multiqueue_enabled: bool('Multiqueue Networking', 'One virtio network queue per vCPU, for guests that push a lot of traffic.'),
      hw_video_model: str('Video Model', 'Graphics adapter the guest sees.', { enum: ['virtio', 'qxl', 'vga', 'cirrus', 'bochs', 'none'] }),
      hw_video_ram: int('Max Video RAM', 'Video memory in MB the guest may request (capped by the flavor\u2019s hw_video:ram_max_mb).'),
      hw_machine_type: str('Machine Type', 'QEMU machine type, such as q35 or pc; empty uses the host\u2019s default.'),
      hw_firmware_type: str('Firmware Type', 'Boot firmware: bios, or uefi for guests that need it.', { enum: ['bios', 'uefi'] }),
      hw_qemu_guest_agent: str('QEMU Guest Agent', 'Add a channel for the QEMU guest agent (the guest must run qemu-guest-agent).', { enum: ['yes', 'no'] }),
      hw_pointer_model: str('Pointer Model', 'usbtablet gives a graphical console an absolute pointer.', { enum: ['usbtablet'] }),
      hw_rng_model: str('Random Number Generator', 'Give the guest a virtio-rng device fed by the host (the flavor must allow it).', { enum: ['virtio'] }),
      os_require_quiesce: bool('Require Quiescing', 'Snapshots must freeze the guest\u2019s filesystems through the guest agent, or fail.'),
    },
  },
  {
    namespace: 'OS::Compute::Watchdog',
    display_name: 'Watchdog Behavior',
    description: 'An emulated i6300esb watchdog device that acts when the guest stops responding.',
    resource_type_associations: hwEverywhere,
    properties: {
      watchdog_action: str('Watchdog Action', 'What to do when the guest\u2019s watchdog fires; disabled means no watchdog device.', { enum: ['disabled', 'reset', 'poweroff', 'pause', 'none'] }),
    },
  },
  {
    namespace: 'OS::Compute::VirtCPUTopology',
    display_name: 'Virtual CPU Topology',
    description: 'How vCPUs appear to the guest as sockets, cores and threads; some operating systems license or limit by socket.',
    resource_type_associations: hwEverywhere,
    properties: {
      cpu_sockets: int('vCPU Sockets', 'Preferred number of sockets.'),
      cpu_cores: int('vCPU Cores', 'Preferred number of cores per socket.'),
      cpu_threads: int('vCPU Threads', 'Preferred number of threads per core.'),
      cpu_max_sockets: int('Max vCPU Sockets', 'Most sockets the guest supports.'),
      cpu_max_cores: int('Max vCPU Cores', 'Most cores per socket the guest supports.'),
      cpu_max_threads: int('Max vCPU Threads', 'Most threads per core the guest supports.'),
    },
  },
  {
    namespace: 'OS::Compute::CPUPinning',
    display_name: 'CPU Pinning',
    description: 'Whether vCPUs float over the host\u2019s CPUs or each gets a dedicated one.',
    resource_type_associations: hwEverywhere,
    properties: {
      cpu_policy: str('CPU Policy', 'shared lets vCPUs float; dedicated pins each vCPU to its own host CPU.', { enum: ['shared', 'dedicated'] }),
      cpu_thread_policy: str('CPU Thread Policy', 'With dedicated CPUs: how to treat hyperthread siblings.', { enum: ['prefer', 'isolate', 'require'] }),
    },
  },
  {
    namespace: 'OS::Compute::GuestMemoryBacking',
    display_name: 'Guest Memory Backing',
    description: 'Back guest memory with huge pages for memory-intensive workloads.',
    resource_type_associations: hwEverywhere,
    properties: {
      mem_page_size: str('Memory Page Size', 'small, large, any, or a size in KiB such as 2048 or 1048576.', { pattern: '^(small|large|any|[0-9]+[KMG]?B?)$' }),
    },
  },
  {
    namespace: 'OS::Compute::RandomNumberGenerator',
    display_name: 'Random Number Generator',
    description: 'Lets guests booted with this flavor have a virtio-rng device, within a rate limit.',
    resource_type_associations: [{ name: FLAVOR, prefix: 'hw_rng:' }],
    properties: {
      allowed: bool('Random Number Generator Allowed', 'Images may ask for a virtio-rng device (hw_rng_model).'),
      rate_bytes: int('Random Number Generator Rate Bytes', 'Bytes the guest may read per period; 0 means unlimited.', { minimum: 0 }),
      rate_period: int('Random Number Generator Rate Period', 'Length of the rate period in milliseconds.', { minimum: 0 }),
    },
  },
  {
    namespace: 'OS::Compute::Hypervisor',
    display_name: 'Hypervisor Selection',
    description: 'Send instances of this image only to hosts with a matching hypervisor and mode.',
    resource_type_associations: imageOnly,
    properties: {
      hypervisor_type: str('Hypervisor Type', 'The hypervisor the image needs; DeskStack hosts run qemu (KVM).', { enum: ['qemu', 'kvm'] }),
      vm_mode: str('VM Mode', 'hvm for fully virtualized guests.', { enum: ['hvm'] }),
    },
  },
  {
    namespace: 'OS::Compute::GuestShutdownBehavior',
    display_name: 'Shutdown Behavior',
    description: 'How long a clean shutdown may take before the instance is powered off.',
    resource_type_associations: imageOnly,
    properties: {
      os_shutdown_timeout: int('Shutdown timeout', 'Seconds to wait for the guest to shut down cleanly; 0 powers off at once.', { minimum: 0 }),
    },
  },
  {
    namespace: 'OS::OperatingSystem',
    display_name: 'Common Operating System Properties',
    description: 'What operating system the image holds, so tools and schedulers can tell images apart.',
    resource_type_associations: imageOnly,
    properties: {
      os_distro: str('OS Distro', 'Common name of the distribution in lowercase, such as ubuntu, debian, fedora, centos, cirros or windows.'),
      os_version: str('OS Version', 'Version of the distribution, such as 24.04 or 12.'),
      os_type: str('OS Type', 'Operating system family, for guest-specific handling.', { enum: ['linux', 'windows'] }),
      os_admin_user: str('Admin User', 'The user with administrative rights in the guest (root, ubuntu, Administrator\u2026).'),
    },
  },
  {
    namespace: 'OS::Glance::CommonImageProperties',
    display_name: 'Common Image Properties',
    description: 'Properties that describe how an image was built and what it boots.',
    resource_type_associations: [{ name: IMAGE }],
    properties: {
      architecture: str('CPU Architecture', 'CPU architecture the image needs, such as x86_64 or aarch64.', { enum: ['x86_64', 'i686', 'aarch64', 'armv7l', 'ppc64le', 's390x', 'riscv64'] }),
      kernel_id: str('Kernel ID', 'Image holding the kernel, for images that boot with a separate kernel (AMI style).', { pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$' }),
      ramdisk_id: str('Ramdisk ID', 'Image holding the initial ramdisk, for images that boot with a separate one.', { pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$' }),
      instance_uuid: str('Instance ID', 'The instance a snapshot image was taken from.'),
    },
  },
];

/** Loads the catalog into a fresh data folder, once: an admin's later edits and deletions stay. */
export function seedCatalog(db: Db, store: MetadefStore): void {
  store.transaction(() => {
    if (!setSettingIfAbsent(db, SEEDED_KEY, nowIso())) return;
    const now = nowIso();
    for (const name of RESOURCE_TYPES) store.addResourceType(name, now, true);
    for (const ns of CATALOG) {
      if (store.namespace(ns.namespace)) continue;
      const id = store.insertNamespace({
        namespace: ns.namespace,
        display_name: ns.display_name,
        description: ns.description,
        visibility: 'public',
        protected: 1,
        owner: 'admin',
        created_at: now,
        updated_at: now,
      });
      for (const a of ns.resource_type_associations) store.associate(id, ns.namespace, a, now);
      for (const [name, def] of Object.entries(ns.properties)) store.putProperty(id, ns.namespace, name, def, now);
    }
  });
}
