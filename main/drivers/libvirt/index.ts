// The libvirt driver: real VMs on a host through libvirt, over an Executor.
export { LibvirtDriver, type LibvirtDriverOptions } from './libvirt-driver';
export { buildDomainXml, xmlEscape } from './domain-xml';
export { parseDomainList, powerStateOf } from './virsh';
