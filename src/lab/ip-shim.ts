/**
 * The `ip` the lab puts first on PATH when a host's generated tunnel script runs in its namespace (written
 * to the lab's folder as bin/ip). The lab stands in for vti, ipip and XFRM interfaces with veth pairs
 * everywhere, so it works the same on kernels with and without those drivers:
 *
 *   ip link add NAME type vti|ipip|xfrm …  and  ip tunnel add NAME mode ipip …
 *     run the real command first, so iproute2's own parser still rejects a typo in the script (on a kernel
 *     without the driver only "Unknown device type" / "No such device" is tolerated; on a kernel with it,
 *     the real device is deleted again); then create a veth pair in its place and record the tunnel
 *     parameters, in the words `ip -d link show` prints for a real device of that kind (iproute2 6.1
 *     ip/link_vti.c, ip/link_iptnl.c and ip/link_xfrm.c: "xfrm if_id 0xN");
 *   ip … -d … link show …   prints the real output with the veth's kind replaced by that record (and, for
 *     an XFRM interface, "NAME@UNDERLAY:" as the kernel reports its `dev`);
 *   ip link del [dev] NAME   also forgets the record.
 * Everything else goes to the real `ip` unchanged, so addresses, rules, routes and sysctls are real.
 *
 * SITEWIRE_SHIM_STATE (required): folder for the records, one subfolder per namespace.
 * SITEWIRE_SHIM_LINKS (optional): "DEVICE=NAMESPACE …": the veth's other end of DEVICE goes, under the same
 *   name, into NAMESPACE with the mirrored record (local and remote swapped): the two ends of one
 *   point-to-point ipip link, whose other host then finds its end in place. Other devices keep their other
 *   end in the same namespace as `s` + the first 14 characters of the name (the lab moves it to an engine).
 * The shim refuses to run outside a named network namespace, so it never touches the machine's devices.
 * (A copy of test/harness/ip-shim, which the real-program tests use, with the two differences above.)
 */
export const IP_SHIM = `#!/bin/bash
set -euo pipefail

real=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v ip)
netns=$("$real" netns identify)
[[ -n $netns ]] || { echo "ip-shim: refusing to run outside a named network namespace" >&2; exit 1; }
state=\${SITEWIRE_SHIM_STATE:?ip-shim: set SITEWIRE_SHIM_STATE}

record_file() { echo "$state/$1/$2"; }

# dotted KEY: the vti key as iproute2 prints it (inet_ntop of the 32-bit key).
dotted() { echo "$(($1 >> 24 & 255)).$(($1 >> 16 & 255)).$(($1 >> 8 & 255)).$(($1 & 255))"; }

# value_of WORD ARGS…: the argument following WORD.
value_of() {
  local word=$1
  shift
  while (($# > 1)); do
    [[ $1 == "$word" ]] && { echo "$2"; return 0; }
    shift
  done
  return 1
}

# link_netns NAME: the namespace SITEWIRE_SHIM_LINKS names for NAME, if any.
link_netns() {
  local entry
  for entry in \${SITEWIRE_SHIM_LINKS:-}; do
    [[ \${entry%%=*} == "$1" ]] && { echo "\${entry#*=}"; return 0; }
  done
  return 0
}

# create NAME KIND LOCAL REMOTE EXTRA: the veth stand-in and its record(s).
create() {
  local name=$1 kind=$2 local_addr=$3 remote=$4 extra=$5 other
  other=$(link_netns "$name")
  local words="$kind remote $remote local $local_addr $extra" mirrored="$kind remote $local_addr local $remote $extra"
  mkdir -p "$state/$netns"
  if [[ -n $other ]]; then
    "$real" link add "$name" type veth peer name "$name" netns "$other"
    mkdir -p "$state/$other"
    echo "$mirrored" >"$(record_file "$other" "$name")"
  else
    "$real" link add "$name" type veth peer name "s\${name:0:14}"
    "$real" link set "s\${name:0:14}" up
  fi
  echo "$words" >"$(record_file "$netns" "$name")"
}

# create_xfrm NAME UNDERLAY IF_ID: the veth stand-in of an XFRM interface, its record and its underlay. Its
# other end stays here as \`s\` + the first 14 characters of the name (the lab moves it to an engine).
create_xfrm() {
  local name=$1
  mkdir -p "$state/$netns"
  "$real" link add "$name" type veth peer name "s\${name:0:14}"
  "$real" link set "s\${name:0:14}" up
  printf 'xfrm if_id %#x\\n' "$3" >"$(record_file "$netns" "$name")"
  echo "$2" >"$(record_file "$netns" "$name")@"
}

# tolerate EXPECTED NAME COMMAND…: run the real command; fail like it unless it failed only in the kernel.
# Where the kernel has the driver, the device it made is removed again: the lab uses the veth everywhere.
tolerate() {
  local expected=$1 name=$2 out
  shift 2
  if out=$("$real" "$@" 2>&1); then
    "$real" link del dev "$name"
    return 0
  fi
  [[ $out == *"$expected"* ]] || { echo "$out" >&2; return 1; }
}

args=("$@")
if [[ \${args[0]:-} == link && \${args[1]:-} == add && " \${args[*]} " =~ \\ type\\ (vti|ipip|xfrm)\\  ]]; then
  kind=\${BASH_REMATCH[1]}
  name=\${args[2]}
  [[ $name == name ]] && name=\${args[3]}
  tolerate "Unknown device type" "$name" "\${args[@]}"
  local_addr=$(value_of local "\${args[@]}" || true)
  remote=$(value_of remote "\${args[@]}" || true)
  if [[ $kind == xfrm ]]; then
    create_xfrm "$name" "$(value_of dev "\${args[@]}")" "$(value_of if_id "\${args[@]}")"
  elif [[ $kind == vti ]]; then
    key=$(dotted "$(value_of key "\${args[@]}")")
    create "$name" vti "$local_addr" "$remote" "ikey $key okey $key"
  else
    create "$name" "ipip ipip" "$local_addr" "$remote" "ttl $(value_of ttl "\${args[@]}" || echo inherit) pmtudisc"
  fi
elif [[ \${args[0]:-} == tunnel && \${args[1]:-} == add ]]; then
  name=\${args[2]}
  tolerate "No such device" "$name" "\${args[@]}"
  [[ $(value_of mode "\${args[@]}") == ipip ]] || { echo "ip-shim: only mode ipip is stood in for" >&2; exit 1; }
  create "$name" "ipip ipip" "$(value_of local "\${args[@]}")" "$(value_of remote "\${args[@]}")" \\
    "ttl $(value_of ttl "\${args[@]}" || echo inherit) pmtudisc"
elif [[ " \${args[*]} " == *" -d "* && " \${args[*]} " == *" link show "* ]]; then
  out=$("$real" "\${args[@]}")
  name=$(value_of dev "\${args[@]}" || true)
  record=$(record_file "$netns" "$name")
  if [[ -n $name && -f $record ]]; then
    out=\${out/ veth / $(<"$record") }
  fi
  if [[ -n $name && -f $record@ && $out == *": $name@"* ]]; then
    rest=\${out#*": $name@"}
    out="\${out%%": $name@"*}: $name@$(<"$record@"):\${rest#*:}"
  fi
  echo "$out"
elif [[ \${args[0]:-} == link && \${args[1]:-} =~ ^del(ete)?$ ]]; then
  name=\${args[2]:-}
  [[ $name == dev ]] && name=\${args[3]:-}
  "$real" "\${args[@]}"
  rm -f "$(record_file "$netns" "$name")" "$(record_file "$netns" "$name")@"
  other=$(link_netns "$name")
  [[ -z $other ]] || rm -f "$(record_file "$other" "$name")"
else
  exec "$real" "\${args[@]}"
fi
`;
