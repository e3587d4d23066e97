/** Help texts, one per command. Kept as plain text so `--help` output is reviewable in one place. */

export const COMMANDS = ["validate", "compile", "check", "diff", "explain", "lab", "lsp", "import", "secrets", "schema"] as const;
export type CommandName = (typeof COMMANDS)[number];

const COMMON_OPTIONS = `Options:
  --out DIR                    output directory (default: out)
  --strict                     treat warnings (weak crypto, weak keys…) as errors
  --format text|json|github    how to print diagnostics and results (default: text); github: workflow
                               annotations, paths relative to $GITHUB_WORKSPACE when it is set
  --no-color                   no colors (also when NO_COLOR is set or output is not a terminal)
  -h, --help                   show this help`;

const PATHS = `Paths are site files, directories or globs, relative to the current directory (default: sites/*.yaml).`;

export const TOP_HELP = `sitewire: compile site intent files (sites/<site>.yaml) into device and cluster configuration (out/<site>/)

Usage: sitewire <command> [options] [paths...]

Commands:
  validate [paths...]   check site files; write nothing
  compile  [paths...]   compile and write out/<site>/ (nothing is written if any site has errors)
  check    [paths...]   compare out/ with a fresh compile, for CI (exit 2 on drift)
  diff     [paths...]   show as a unified diff what compile would change
  diff --against REF    the plan of an intent change: per host and device, what changes since REF
  explain FILE --flow NAME | --from WHAT --to WHERE
                        follow a flow hop by hop, both ways, and say whether it is delivered
  lab FILE [--flow NAME] [--keep]
                        build the site in network namespaces with its own artifacts and probe
                        every flow (Linux, root)
  lsp [--stdio]         language server for editors: diagnostics as you type, hover, definitions,
                        references, name completion, quick fixes
  import aws-vpn [FILE] | import netbox (--url URL | --from-dir DIR) (--site SLUG | --tag SLUG)
                        write an intent from existing AWS VPN connections or a NetBox inventory
  secrets               write one host's secret-bearing files, with real values, outside the repository
  schema [--write]      print the JSON Schema of site files, or write schema/site.schema.json
  help [command]        show help for a command

${COMMON_OPTIONS}
  --version                    print the version

${PATHS}

Exit codes: 0 ok, 1 invalid input or errors, 2 drift (check) or changes (diff --exit-code), 64 bad command line,
70 internal error.
Run 'sitewire <command> --help' for details.
`;

export const COMMAND_HELP: Readonly<Record<CommandName, string>> = {
  validate: `Usage: sitewire validate [options] [paths...]

Load and check site files (YAML, schema, meaning, both ends of every tunnel) and print every problem.
Nothing is compiled or written.

${COMMON_OPTIONS}

${PATHS}

Exit codes: 0 no errors (warnings allowed), 1 errors found.
`,
  compile: `Usage: sitewire compile [options] [paths...]

Compile every site and write out/<site>/. If any site has errors, nothing at all is written. Only files
that changed are rewritten; files the previous manifest lists but that are no longer produced are removed;
files sitewire does not manage are never touched. Each file is written to a temporary file beside it and
renamed into place, so a killed run leaves every file old or new, never partial. Paths under out/ that no
site produces are reported as warnings and left alone ('sitewire check' fails on them); leftover temp
files of an interrupted run are removed. out/ must not be (or be reached through) a symbolic link.

Runs on one out/ take turns: compile holds out/.sitewire.lock while it reads and writes; another run waits
(SITEWIRE_LOCK_TIMEOUT seconds, default 600) and takes over the lock of a run that died.

A site whose file, compiler and output are unchanged since the last compile or check on this machine is not
compiled again: the result cache (in $XDG_CACHE_HOME/sitewire or ~/.cache/sitewire; SITEWIRE_CACHE_DIR
sets another folder, SITEWIRE_CACHE_DIR=off turns it off) remembers each output file's hash and file-system
stamp, and any edit, chmod or removal under out/<site>/ makes the site compile in full again.

${COMMON_OPTIONS}
  --no-cache                   compile every site, whatever the result cache says
  --fsync                      flush each written file to disk before it replaces the old one (slower;
                               for machines that may lose power while compiling)

${PATHS}

Exit codes: 0 written (or already up to date), 1 errors found or output not writable.
`,
  check: `Usage: sitewire check [options] [paths...]

Compile in memory and compare with out/ (for CI). On drift, print the unified diff and one summary line
per site. Every path under out/ must be produced by a site: anything else (a file or folder added by hand,
a removed site's folder, a temp file of an interrupted compile) is drift too, one error per path. Modes
are compared as git records them (the executable bit). Sites whose file, compiler and
output are unchanged since the last compile or check on this machine are answered from the result cache
(see 'sitewire compile --help'); a CI runner starts without one and compares everything.

${COMMON_OPTIONS}
  --no-cache                   compare every site, whatever the result cache says

${PATHS}

Exit codes: 0 out/ is up to date, 1 invalid input (or out/ is a symbolic link, or locked too long), 2 out/
differs (run 'sitewire compile' and commit) or holds paths no site produces (delete them).
`,
  diff: `Usage: sitewire diff [options] [paths...]
       sitewire diff --against REF [options] [paths...]

Without --against: print what 'sitewire compile' would change, as a unified diff (a/ = on disk, b/ = fresh)
on stdout; a summary per site goes to stderr, so the output can be saved as a patch.

With --against REF (a branch, tag or commit): the plan of an intent change, for review. The site files are
compiled twice in memory, as they are at REF and as they are in the working tree (read with git plumbing: no
checkout, nothing in the repository changes), with this sitewire. First a summary per site and per host,
device and cluster: tunnels added or removed, proposals changed, routes added, policies widened (!) or
narrowed, secret references rotated, and the files that change there; then the unified diff of every
artifact (a/ = REF, b/ = working tree). Sites are matched by name: a site file moved to another folder is
the same site. If the intent at REF does not compile with this sitewire, the out/ committed at REF is the
baseline instead (file diffs only). --format json gives the same plan for bots; --format github adds an
annotation at the intent line of each change.

${COMMON_OPTIONS}
  --against REF                compare with the intent at git revision REF
  --exit-code                  exit 2 when there are changes (0 when there are none)

${PATHS}

Exit codes: 0 (with or without changes; with --exit-code: no changes), 1 invalid input or REF unknown,
2 changes (with --exit-code).
`,
  explain: `Usage: sitewire explain SITE-FILE --flow NAME [options]
       sitewire explain SITE-FILE --from WHAT --to WHERE[:PROTO/PORT] [options]

Follow a packet through the compiled site, hop by hop, forward and back (the reply path too): the cluster
(which NetworkPolicy allows the egress, whether ip-masq-agent masquerades, the node it leaves from), each
host (ip rule and table, route: static, connected or learned by BGP, device, SITEWIRE-FORWARD, NAT, MSS
clamp), each link and tunnel (vti mark, XFRM interface if_id or policy selectors) and the far side (its
route back, tracking).
Every step cites the artifact line that decides it (a path under out/<site>/, compiled in memory: out/ is
not read) and the intent line that caused it. The verdict is 'delivered' or 'dropped at hop N: <reason>'
with a hint.

  --flow NAME        every source of the flow to every destination of it
  --from WHAT        a host, a network (name or CIDR), an address, or pods: NAMESPACE/KEY=VALUE[,KEY=VALUE]
                     or NAMESPACE/* (every pod of the namespace)
  --to WHERE         an address, CIDR, network or host name (a network stands for its first address),
                     optionally with :tcp/PORT, :udp/PORT or :sctp/PORT
  --format text|json|mermaid   text (default), JSON for tools, or a Mermaid flowchart of the path
  --strict           treat warnings as errors
  --no-color         no colors in diagnostics
  -h, --help         show this help

Example: sitewire explain sites/partner-vpn.yaml --from payments/app=curl --to partner-api:tcp/8080

Exit codes: 0 delivered, 1 dropped (or errors in the site file), 64 bad command line, or a flow, host or
network the site does not have.
`,
  lsp: `Usage: sitewire lsp [--stdio]

A Language Server Protocol server on standard input and output (--stdio, the default and only transport),
for any editor with an LSP client. For every open site file it publishes every diagnostic validate and
compile report (shape, meaning, both ends of every tunnel, deliverability), debounced while you type, all
in this one process. It also answers hover (a key's description and default; what a network, host, peer or
tunnel name stands for), go-to-definition and find-references of names, completion of names where the
schema expects one, and quick fixes for "did you mean" and the aligned network.

Client setting initializationOptions { "strict": true } reports as --strict does.

Options:
  --stdio            talk LSP over stdin/stdout (default)
  -h, --help         show this help

The server ends when the client sends exit (code 0 after shutdown) or closes standard input.
`,
  lab: `Usage: sitewire lab SITE-FILE [--flow NAME] [--keep] [--format text|json]
       sitewire lab SITE-FILE --clean

Build the site on this machine (Linux, root) and measure every flow with real traffic. One network namespace
per host; the site's networks as bridges (in one "fabric" namespace that also routes between them, with 1:1
NAT for public addresses); far-side devices replaced by stand-ins rendered from the same model (a strongSwan
end for each IPsec peer, a router namespace with the routes the model gives the far side); a VPN client's
interface (tun0) leading to a namespace that answers only its own network; pods as namespaces attached to
their node, with the ip-masq-agent chain and the egress NetworkPolicies as a filter. Each host runs what
sitewire emits for it: the sysctl drop-in, the tunnel script ('up'), the firewall loader, strongSwan. vti,
xfrm and ipip devices are veth pairs and ESP runs in userspace (strongSwan kernel-libipsec), so the lab
behaves the same on kernels with and without ESP, vti, XFRM interfaces and ipip. BGP over tunnels runs FRRouting: the host's emitted
frr.conf, and one rendered from the model's peer side for the far side. Pre-shared keys are random lab keys
(same reference, same key). Not run: the failover monitor (it moves cloud routes).

For every flow, from each of its sources to each of its destinations (a network stands for its first
address), and for pods the egress allowlist lets reach it, a TCP or UDP exchange with a listener at the
destination (the flow's first port; TCP 7 when it names none), at most a few seconds each. Printed per flow:
pass or fail, the source address the destination saw, and for each failure the path 'sitewire explain'
follows for it. Progress (hosts, links, tunnels, probes) goes to stderr.

Everything the lab makes carries a prefix derived from the site name and is recorded in a state file under
/run/sitewire-lab (SITEWIRE_LAB_DIR sets another folder) before it is made; the lab is removed at the end,
also on SIGINT, SIGTERM or SIGHUP, and a run first removes what an interrupted or killed run of the same
site left behind. Nothing is created in the machine's own network namespace, and probes never leave the
lab's namespaces.

  --flow NAME        only this flow
  --keep             leave the lab up and print how to enter each namespace
  --clean            only remove what an earlier run of this site left (kept or interrupted)
  --format text|json the verdicts as text (default) or JSON
  --no-color         no colors in diagnostics
  -h, --help         show this help

Debian packages: iproute2 iptables procps mount, and for sites with tunnels strongswan-charon
strongswan-swanctl libcharon-extra-plugins (strongswan-starter for ipsec.conf-only hosts, frr for BGP).

Exit codes: 0 every flow passes, 1 a flow fails (or the site has errors, or the lab could not be built),
2 a bad command line or an unfit machine (not root, missing programs: the packages are named), another lab
of the site running, or interrupted.
`,
  import: `Usage: sitewire import aws-vpn [FILE|-] [options]
       sitewire import netbox (--url URL | --from-dir DIR) (--site SLUG | --tag SLUG) [options]

Write a site intent from what already exists. Nothing an import reads is trusted as text: every value is
checked, comments and descriptions are one line. Pre-shared keys become env: references: the key values are
never written to the intent, stdout or stderr; the import prints the variable names and, for AWS, a command
per key that sets the variable from AWS's own data (jq on the imported file, or the aws / terraform CLI).
What the source has that sitewire cannot express is a warning (SW401) at its place in the imported data;
what sitewire needs that the source lacks is a warning (SW402) and a TODO comment in the written file.

aws-vpn: the JSON of 'aws ec2 describe-vpn-connections' (with its CustomerGatewayConfiguration XML) or of
'terraform show -json' holding aws_vpn_connection resources, from FILE or standard input. Each VPN
connection becomes an aws-vpn peer with its two tunnels (outside addresses, inside networks and which end
owns which address, proposals, lifetimes, DPD, BGP ASNs and hold time); weak AWS defaults are kept with
allowWeak: "imported from AWS".
  --customer host|ios|juniper-srx|fortigate|paloalto-panos
                     the customer gateway: a strongSwan host (default) or a device of that platform
                     (then AWS's endpoints are a stand-in host, not for deployment)
  --host NAME        name of the customer host or device (default: the customer gateway id)
  --host-address A   the host's own interface address when the customer gateway address is a NAT address
  --interface IF     the customer device's outside interface (juniper-srx, fortigate, paloalto-panos)
  --site FILE        write a fragment (peers, tunnels, …) to merge into this existing site file; its host
                     with the customer gateway address is reused, names and keys do not collide

netbox: NetBox 3.7 or later, from the REST API (--url, token from the environment) or from saved API
responses (--from-dir: one <endpoint>.json per endpoint, e.g. dcim-devices.json, vpn-tunnels.json). Reads
devices, interfaces, IP addresses, VPN tunnels and terminations, IKE/IPsec proposals, policies and profiles
of one site or tag.
  --url URL          NetBox base URL (https://netbox.example.com)
  --token-env NAME   environment variable holding the API token (default NETBOX_TOKEN)
  --from-dir DIR     saved API responses instead of the API
  --site SLUG | --tag SLUG   which devices
  --timeout SECONDS  per request (default 30)
A request that takes longer than a second shows progress on a terminal (never with --format json).

Options of both:
  --out FILE         write the intent to FILE (default: stdout); refused if FILE exists, unless --force
  --force            replace an existing --out file
  --name SITE        site name (default: from --out's file name)
  --os debian|rhel   OS family of imported Linux hosts (default debian)
  --format text|json text (default) or one JSON object on stdout (intent, secrets, diagnostics)
  --no-color         no colors in diagnostics
  -h, --help         show this help

Examples:
  aws ec2 describe-vpn-connections --vpn-connection-ids vpn-0123456789abcdef0 > vpn.json
  sitewire import aws-vpn vpn.json --out sites/aws-dc.yaml
  NETBOX_TOKEN=… sitewire import netbox --url https://netbox.example.com --site fra1 --out sites/fra1.yaml

Exit codes: 0 written (warnings allowed), 1 errors in the data, an unreadable input, an HTTP error or
timeout, 64 bad command line.
`,
  secrets: `Usage: sitewire secrets --site SITE --host HOST --dest DIR [--out DIR]

Write the files of HOST that hold secret placeholders (ipsec.secrets, swanctl.conf) with the real values,
into DIR as a tree that mirrors / (DIR/etc/...), files 0600. Values come from the environment variables and
files the intent references. DIR must be outside the git work tree and outside the output directory; the
committed files are checked against manifest.json first. Nothing is written if any value is missing or
unusable. Only paths and reference names are printed, never a value. The generated Ansible playbook runs
this on the control node.

Options:
  --site SITE     site name (out/SITE/)
  --host HOST     host name in that site
  --dest DIR      where to write the materialised tree
  --out DIR       output directory holding out/SITE (default: out)
  -h, --help      show this help

Exit codes: 0 written (or nothing to write), 1 a value is missing or unusable, or DIR is refused.
`,
  schema: `Usage: sitewire schema [--write]

Print the JSON Schema of site files. With --write, write it to schema/site.schema.json (relative to the
current directory) when it changed; editors use it for completion.

Options:
  --write        write schema/site.schema.json instead of printing
  -h, --help     show this help

Exit codes: 0 ok, 1 the file cannot be written.
`,
};
