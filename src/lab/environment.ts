/**
 * What a lab needs from the machine: root (network namespaces, mounts), and the programs the site's lab runs,
 * each named with the Debian package that ships it (Debian 12 / Ubuntu package contents).
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import type { LabPlan } from "./plan.js";

interface Need {
  readonly program: string;
  readonly package: string;
  readonly why: string;
}

const BASE: readonly Need[] = [
  { program: "ip", package: "iproute2", why: "namespaces, links, routes" },
  { program: "iptables", package: "iptables", why: "the firewall loader" },
  { program: "iptables-restore", package: "iptables", why: "sitewire's chains and the lab's NAT" },
  { program: "sysctl", package: "procps", why: "the sysctl drop-ins" },
  { program: "bash", package: "bash", why: "the tunnel and firewall scripts" },
  { program: "mount", package: "mount", why: "private /var/lib and strongSwan paths per call" },
];

const STRONGSWAN: readonly Need[] = [
  { program: "/usr/lib/ipsec/charon", package: "strongswan-charon", why: "IKE daemons" },
  { program: "swanctl", package: "strongswan-swanctl", why: "loading and watching the connections" },
  { program: "/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so", package: "libcharon-extra-plugins", why: "userspace ESP (kernel-libipsec)" },
  { program: "/dev/net/tun", package: "(the kernel's tun driver)", why: "kernel-libipsec's TUN device" },
];

const STARTER: Need = { program: "ipsec", package: "strongswan-starter", why: "hosts configured by ipsec.conf only" };

const FRR: readonly Need[] = [
  { program: "/usr/lib/frr/zebra", package: "frr", why: "BGP over tunnels" },
  { program: "/usr/lib/frr/bgpd", package: "frr", why: "BGP over tunnels" },
  { program: "vtysh", package: "frr", why: "watching the BGP sessions" },
];

function found(program: string): boolean {
  if (program.startsWith("/")) return existsSync(program);
  for (const dir of (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":").concat(["/usr/sbin", "/sbin"])) {
    try {
      accessSync(`${dir}/${program}`, constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}


/** Why the lab cannot run here, or nothing. */
export function environmentProblems(plan: LabPlan): string[] {
  const problems: string[] = [];
  if (process.platform !== "linux") return ["Linux only (network namespaces)"];
  if (process.getuid?.() !== 0) problems.push("root is needed (network namespaces, mounts): run it with sudo");
  const needs = [...BASE];
  if (plan.tunnels.length > 0) needs.push(...STRONGSWAN);
  const stroke = [...plan.tunnels.flatMap((t) => [t.hostEngine?.charon, t.peerEngine.charon]), ...plan.hosts.map((h) => h.charon)].some((c) => c?.files.mode === "stroke");
  if (stroke) needs.push(STARTER);
  if (plan.frr.length > 0) needs.push(...FRR);
  if (plan.hosts.some((h) => h.nft)) needs.push({ program: "nft", package: "nftables", why: "sitewire's nftables table (hosts on the nftables backend)" });
  if (plan.frr.some((f) => /^\s*neighbor \S+ bfd\b/m.test(f.conf))) needs.push({ program: "/usr/lib/frr/bfdd", package: "frr", why: "BFD on BGP sessions" });
  const missing = needs.filter((n) => !found(n.program));
  if (missing.length > 0) {
    const packages = [...new Set(missing.filter((n) => !n.package.startsWith("(")).map((n) => n.package))];
    problems.push(
      `missing: ${missing.map((n) => `${n.program} (${n.why})`).join(", ")}${packages.length > 0 ? `\n  install them with: apt-get install ${packages.join(" ")}` : ""}`,
    );
  }
  if (problems.length === 0 && !canMakeNamespaces()) problems.push("cannot create network namespaces here (ip netns add failed): a container without CAP_SYS_ADMIN?");
  return problems;
}

function canMakeNamespaces(): boolean {
  const name = `swlprobe${process.pid % 1000000}`;
  try {
    execFileSync("ip", ["netns", "add", name], { stdio: "ignore" });
    execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
