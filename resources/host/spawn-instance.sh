#!/bin/sh
# Creates and starts one DeskStack instance on this host in a single round trip. The libvirt driver
# runs it over SSH as `sh -c <this file> spawn-instance OPTIONS… < files.tar`; every input arrives as
# argv or stdin and is checked here, never pasted into code.
#
#   --id ID --state-dir DIR --base IMAGE --disk-gb N --seed cidata|config-2
#   [--network NAME]…          libvirt networks to define (default only), start and autostart
#   [--reserve NET MAC IP]…    DHCP reservations, made when IP lies in NET's subnet
# stdin: a tar of domain.xml and seed/ (the files of the NoCloud seed or config drive).
#
# On stdout it reports, one line each, what it makes (`ds-made dir|reservation NET MAC IP|domain|running`,
# a thing that can exist before it is reported is reported first), `ds-skipped NET IP`, and at the end
# `ds-done`. Exit 3 with `ds-need-image` means the base image is not cached and nothing was made;
# exit 1 with `ds-fail KIND [DETAIL]` is a failure (the command's own error is on stderr). Undoing what
# was reported is the driver's job, so it also happens when the driver cancels this script midway.
set -eu
set -f
export LC_ALL=C
umask 022

say() { printf '%s\n' "$*"; }
# waits for the jobs running beside it first: the driver undoes what was reported once this script ends
fail() {
  say "ds-fail $*"
  wait
  exit 1
}
virsh() { command virsh -c qemu:///system "$@"; }

is_name() { case $1 in '' | -* | *[!A-Za-z0-9._-]*) return 1 ;; esac; }
is_mac() {
  case $1 in [0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]) return 0 ;; esac
  return 1
}

# a.b.c.d as one integer on stdout; fails for anything that is not a dotted IPv4 address
ip_int() {
  case $1 in '' | *[!0-9.]* | .* | *. | *..*) return 1 ;; esac
  old_ifs=$IFS
  IFS=.
  # shellcheck disable=SC2086 # split on dots on purpose (globbing is off)
  set -- $1
  IFS=$old_ifs
  [ $# -eq 4 ] || return 1
  n=0
  for octet in "$@"; do
    octet=${octet#"${octet%%[!0]*}"} # no leading zeros: sh would read them as octal
    [ ${#octet} -le 3 ] && [ "${octet:-0}" -le 255 ] || return 1
    n=$((n * 256 + ${octet:-0}))
  done
  echo "$n"
}

# Whether IP lies in the IPv4 subnet of the network whose XML is $2 (its first <ip> element).
in_subnet() {
  tag=$(printf '%s\n' "$2" | sed -n "s/.*\(<ip [^>]*>\).*/\1/p" | sed -n 1p)
  address=$(printf '%s\n' "$tag" | sed -n "s/.*[[:space:]]address=['\"]\([^'\"]*\)['\"].*/\1/p")
  netmask=$(printf '%s\n' "$tag" | sed -n "s/.*[[:space:]]netmask=['\"]\([^'\"]*\)['\"].*/\1/p")
  prefix=$(printf '%s\n' "$tag" | sed -n "s/.*[[:space:]]prefix=['\"]\([0-9]*\)['\"].*/\1/p")
  net_base=$(ip_int "$address") || return 1
  if [ -n "$netmask" ]; then
    mask=$(ip_int "$netmask") || return 1
  elif [ -n "$prefix" ] && [ "$prefix" -ge 1 ] && [ "$prefix" -le 32 ]; then
    mask=$(((0xffffffff << (32 - prefix)) & 0xffffffff))
  else
    return 1
  fi
  addr=$(ip_int "$1") || return 1
  [ $((addr & mask)) -eq $((net_base & mask)) ]
}

ensure_network() {
  if ! info=$(virsh net-info "$1" 2>&1); then
    case $info in *"network not found"* | *"no network with matching"*) ;; *) printf '%s\n' "$info" >&2; fail virsh net-info ;; esac
    [ "$1" = default ] || fail no-network "$1"
    say "ds-log defining libvirt network default"
    virsh net-define /usr/share/libvirt/networks/default.xml >/dev/null || fail define-default-network
    info=$(virsh net-info "$1") || fail virsh net-info
  fi
  if [ "$(printf '%s\n' "$info" | sed -n 's/^Active:[[:space:]]*//p')" != yes ]; then
    say "ds-log starting libvirt network $1"
    if ! out=$(virsh net-start "$1" 2>&1); then
      case $out in *"already active"*) ;; *) printf '%s\n' "$out" >&2; fail virsh net-start ;; esac
    fi
  fi
  if [ "$(printf '%s\n' "$info" | sed -n 's/^Autostart:[[:space:]]*//p')" != yes ]; then
    virsh net-autostart "$1" >/dev/null || fail virsh net-autostart
  fi
}

# Makes the DHCP reservations whose IP lies in their network's subnet and records them in the instance
# folder (destroy reads them there). libvirt's live DHCP update takes the better part of a second, so
# this runs beside the disk, seed and domain steps. Exit 2: net-dumpxml, 3: net-update, 4: the record.
pin_addresses() {
  records=''
  for r in $reserve; do
    net=${r%%/*} rest=${r#*/}
    mac=${rest%%/*} ip=${rest#*/}
    xml=$(virsh net-dumpxml "$net") || return 2
    if ! in_subnet "$ip" "$xml"; then
      say "ds-skipped $net $ip"
      continue
    fi
    say "ds-made reservation $net $mac $ip"
    # a stale entry for the same MAC or IP (an instance that never got destroyed) would win over ours
    if printf '%s\n' "$xml" | grep -q -F -e "mac='$mac'" -e "ip='$ip'"; then
      for stale in "<host mac='$mac'/>" "<host ip='$ip'/>"; do
        i=0
        while [ $i -lt 16 ] && virsh net-update "$net" delete ip-dhcp-host "$stale" --live --config >/dev/null 2>&1; do i=$((i + 1)); done
      done
    fi
    virsh net-update "$net" add-last ip-dhcp-host "<host mac='$mac' ip='$ip'/>" --live --config >/dev/null || return 3
    records="$records${records:+,}{\"network\":\"$net\",\"mac\":\"$mac\",\"ip\":\"$ip\"}"
  done
  printf '[%s]\n' "$records" >"$dir/dhcp-reservations.json.tmp" && mv -f "$dir/dhcp-reservations.json.tmp" "$dir/dhcp-reservations.json" || return 4
}

id='' state='' base='' disk_gb='' seed='' networks='' reserve=''
while [ $# -gt 0 ]; do
  case $1 in
    --id) id=$2; shift 2 ;;
    --state-dir) state=$2; shift 2 ;;
    --base) base=$2; shift 2 ;;
    --disk-gb) disk_gb=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --network) is_name "$2" || fail bad-input "network $2"; networks="$networks $2"; shift 2 ;;
    --reserve)
      is_name "$2" && is_mac "$3" && ip_int "$4" >/dev/null || fail bad-input "reservation $2 $3 $4"
      reserve="$reserve $2/$3/$4"
      shift 4
      ;;
    *) fail bad-input "option $1" ;;
  esac
done
is_name "$id" || fail bad-input "id $id"
case $state in /*) ;; *) fail bad-input "state dir $state" ;; esac
case $base in /*) ;; *) fail bad-input "base image $base" ;; esac
case $disk_gb in '' | *[!0-9]*) fail bad-input "disk size $disk_gb" ;; esac
case $seed in cidata | config-2) ;; *) fail bad-input "seed $seed" ;; esac
instances=$state/instances
dir=$instances/$id

# Nothing is made before these checks pass.
if out=$(virsh domstate "$id" 2>&1); then fail conflict-domain; fi
case $out in *"failed to get domain"* | *"Domain not found"* | *"no domain with matching"*) ;; *) printf '%s\n' "$out" >&2; fail virsh domstate ;; esac
if [ ! -f "$base" ]; then
  say ds-need-image
  exit 3
fi
for net in $networks; do ensure_network "$net"; done

mkdir -p "$instances" || fail no-dir
if ! out=$(mkdir "$dir" 2>&1); then
  [ -e "$dir" ] && fail conflict-dir
  printf '%s\n' "$out" >&2
  fail no-dir
fi
say ds-made dir
# owned like the instances folder: provisioning gives that to a non-root login user
chown --reference="$instances" -- "$dir" || fail step chown
pin_addresses </dev/null &
pin=$!
tar -x -f - -C "$dir" --no-same-owner || fail step tar
qemu-img create -q -f qcow2 -F qcow2 -b "$base" "$dir/disk" "${disk_gb}G" || fail step qemu-img
if [ "$seed" = cidata ]; then
  genisoimage -quiet -output "$dir/seed.iso" -volid cidata -joliet -rational-rock "$dir/seed/user-data" "$dir/seed/meta-data" || fail step genisoimage
else
  genisoimage -quiet -output "$dir/seed.iso" -volid config-2 -joliet -rational-rock "$dir/seed" || fail step genisoimage
fi

say ds-made domain
virsh define "$dir/domain.xml" >/dev/null || fail virsh define
virsh autostart "$id" >/dev/null </dev/null &
autostart=$!
say ds-made running
if [ -z "$reserve" ]; then
  virsh start "$id" >/dev/null || fail virsh start
else
  # paused until its fixed IPs are pinned, so its first DHCP request already gets them
  virsh start --paused "$id" >/dev/null || fail virsh start
fi
wait "$autostart" || fail virsh autostart
rc=0
wait "$pin" || rc=$?
case $rc in 0) ;; 2) fail virsh net-dumpxml ;; 3) fail virsh net-update ;; *) fail step reservations-file ;; esac
if [ -n "$reserve" ]; then virsh resume "$id" >/dev/null || fail virsh resume; fi
say ds-done
