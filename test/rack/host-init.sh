#!/bin/sh
# PID 1 of one test-rack host (started by test/rack/rack.ts inside the host's own network, PID,
# mount and UTS namespaces). Inputs come only from the environment set by rack.ts:
#   RACK_HOSTNAME  hostname of this host
#   RACK_HOST_DIR  per-host state dir holding the copies bind-mounted below
# Killing this process (SIGKILL) tears the whole host down: the kernel kills every process in the
# PID namespace and the mounts go with the mount namespace.
set -eu

: "${RACK_HOSTNAME:?RACK_HOSTNAME is required}"
: "${RACK_HOST_DIR:?RACK_HOST_DIR is required}"
log="$RACK_HOST_DIR/logs/init.log"
exec >>"$log" 2>&1
echo "init: starting host $RACK_HOSTNAME"

hostname "$RACK_HOSTNAME"

# unshare --mount already made propagation private; say it again so no mount below leaks out.
mount --make-rprivate /

bind() { # bind SRC DST: DST must exist on the machine (created empty if missing)
  mkdir -p "$2"
  mount --bind "$1" "$2"
}
bind "$RACK_HOST_DIR/etc-libvirt" /etc/libvirt
bind "$RACK_HOST_DIR/var-lib-libvirt" /var/lib/libvirt
bind "$RACK_HOST_DIR/var-log-libvirt" /var/log/libvirt
bind "$RACK_HOST_DIR/var-cache-libvirt" /var/cache/libvirt
bind "$RACK_HOST_DIR/var-lib-deskstack" /var/lib/deskstack
bind "$RACK_HOST_DIR/etc-ssh" /etc/ssh
bind "$RACK_HOST_DIR/root-home" /root
# root's password inside this host is the rack's, not the machine's
mount --bind "$RACK_HOST_DIR/shadow" /etc/shadow

# The machine's /dev/kvm is paravirtual (kvm_pvm) and cannot run guests; hiding it keeps libvirt
# from probing it and makes the host report software emulation (type='qemu').
if [ -e /dev/kvm ]; then
  mount --bind "$RACK_HOST_DIR/kvm-hidden" /dev/kvm
fi

mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /run/sshd /run/libvirt /run/lock
chmod 0755 /run/sshd

/usr/sbin/sshd -f /etc/ssh/sshd_config -E "$RACK_HOST_DIR/logs/sshd.log"
/usr/sbin/virtlogd -d
/usr/sbin/libvirtd -d
echo "init: services started"

# Reap orphans: each foreground `sleep` makes the shell waitpid(-1) until it returns, which also
# collects any reparented zombie.
trap '' HUP INT
while :; do
  sleep 2
done
