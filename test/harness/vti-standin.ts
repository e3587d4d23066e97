/**
 * A stand-in for the vti device of ONE route-based tunnel where the kernel has neither ESP nor vti (verify.md,
 * "What this kernel cannot do"), for tests where several tunnels end on one machine and routing between them
 * matters (BGP failover):
 *
 *   inner ns (bgpd, LAN)                engine ns (charon, kernel-libipsec)            engine ns     inner ns
 *   vti51 (veth, NOARP) ─── s-end ──► rule iif s-end → ipsec0 (TUN) ══ ESP/UDP 4500 over eth0 ══ … ─── vti51
 *                            ◄── main: default dev s-end ◄── ipsec0 (what charon decrypted)
 *
 * The device in the inner namespace is what ip-shim made of `ip link add … type vti` (or a veth the test made
 * for a far end), set NOARP like a real vti device, its other end moved into an "engine" namespace that runs
 * one charon with the tunnel's strongSwan files. kernel-libipsec ignores marks and has one TUN device per
 * daemon, so one daemon per tunnel is what keeps the tunnels apart here (on a real host the vti keys do);
 * a packet routed into the device leaves ONLY through that tunnel's CHILD SA and is dropped when the SA is
 * gone, so a dead tunnel really blackholes and BGP has to notice by its hold timer.
 *
 * The engine forwards between the veth and the TUN device, which a real vti device does not: it gives the TTL
 * back (iptables TTL --ttl-inc 1), so eBGP's single-hop sessions (TTL 1) pass as over a real vti device.
 *
 * The two ends of the veth share one MAC address: with NOARP the kernel sends frames to the device's own
 * address, which the other end then accepts as its own (point-to-point without ARP, as a vti device is).
 */
import { execFileSync } from "node:child_process";
import { Netns } from "./netns.js";

export interface StandInEnd {
  /** The namespace with the routing daemons, where the vti device lives. */
  readonly inner: Netns;
  /** The vti device's name there. */
  readonly device: string;
  /** Made by ip-shim (`s<device>` is its other end, in `inner`); otherwise this makes the veth. */
  readonly shimmed: boolean;
  /** For a veth this makes: the inside address (`169.254.51.1/30`). */
  readonly insideCidr?: string;
  /** This end's outside (IKE) address. */
  readonly outside: string;
}

export interface StandInPath {
  /** Engine namespaces: run each end's charon in these. */
  readonly near: Netns;
  readonly far: Netns;
  /** Once both charons run (their TUN devices exist): route the vti stand-ins through them. */
  route(): void;
  /** Remove the engine namespaces (the inner devices go with them, being veth ends). Safe to call twice. */
  cleanup(): void;
}

/** ip-shim names the other end of a stood-in device `s` + its first 14 characters. */
export const shimPeerName = (device: string): string => `s${device.slice(0, 14)}`;

/** Two engine namespaces joined by their own outside link, each holding the other end of its inner vti stand-in. */
export function standInPath(label: string, nearEnd: StandInEnd, farEnd: StandInEnd): StandInPath {
  const created: Netns[] = [];
  const cleanup = () => created.forEach((ns) => ns.cleanup());
  try {
    const near = new Netns(`${label}n`);
    created.push(near);
    const far = new Netns(`${label}f`);
    created.push(far);
    const outerEnd = "s-end";
    for (const [engine, end] of [
      [near, nearEnd],
      [far, farEnd],
    ] as const) {
      if (end.shimmed) {
        execFileSync("ip", ["-n", end.inner.name, "link", "set", shimPeerName(end.device), "netns", engine.name]);
        engine.exec(["ip", "link", "set", shimPeerName(end.device), "name", outerEnd]);
      } else {
        execFileSync("ip", ["link", "add", end.device, "netns", end.inner.name, "type", "veth", "peer", "name", outerEnd, "netns", engine.name]);
        if (end.insideCidr) end.inner.exec(["ip", "addr", "add", end.insideCidr, "dev", end.device]);
        end.inner.exec(["ip", "link", "set", end.device, "mtu", "1400", "up"]);
      }
      end.inner.exec(["ip", "link", "set", end.device, "arp", "off"]);
      const mac = /link\/ether (\S+)/.exec(end.inner.exec(["ip", "link", "show", "dev", end.device]))?.[1];
      if (!mac) throw new Error(`no MAC address on ${end.device} in ${end.inner.name}`);
      engine.exec(["ip", "link", "set", outerEnd, "address", mac, "arp", "off", "up"]);
      for (const key of ["all", "default", outerEnd]) engine.exec(["sysctl", "-qw", `net.ipv4.conf.${key}.rp_filter=0`]);
      engine.exec(["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
    }
    // The outside link: each end's IKE address on eth0, the other end's pinned to it.
    execFileSync("ip", ["link", "add", "eth0", "netns", near.name, "type", "veth", "peer", "name", "eth0", "netns", far.name]);
    for (const [engine, own, other] of [
      [near, nearEnd.outside, farEnd.outside],
      [far, farEnd.outside, nearEnd.outside],
    ] as const) {
      engine.exec(["ip", "addr", "add", `${own}/32`, "dev", "eth0"]);
      engine.exec(["ip", "link", "set", "eth0", "up"]);
      engine.exec(["ip", "route", "add", `${other}/32`, "dev", "eth0"]);
    }
    const route = () => {
      for (const engine of [near, far]) {
        const tun = /^\d+: (ipsec\d+)[:@]/m.exec(engine.exec(["ip", "-o", "link", "show", "type", "tun"]))?.[1];
        if (!tun) throw new Error(`no kernel-libipsec TUN device in ${engine.name}`);
        engine.exec(["sysctl", "-qw", `net.ipv4.conf.${tun}.rp_filter=0`]);
        // From the inner namespace: into the tunnel. Out of the tunnel: back to the inner namespace, by the
        // main table (kernel-libipsec routes everything into its TUN device in table 220, which would send
        // what it decrypted straight back into the tunnel).
        engine.exec(["ip", "rule", "add", "priority", "90", "iif", tun, "lookup", "main"]);
        engine.exec(["ip", "rule", "add", "priority", "100", "iif", outerEnd, "lookup", "100"]);
        engine.exec(["ip", "route", "add", "default", "dev", tun, "table", "100"]);
        engine.exec(["ip", "route", "add", "default", "dev", outerEnd]);
        // A vti device is no router hop, the engine is: give back the TTL its forwarding takes, or eBGP's
        // single-hop packets (TTL 1) would die here. (iptables-extensions(8), TTL target: --ttl-inc.)
        engine.exec(["iptables-restore"], { input: `*mangle\n-A PREROUTING -i ${outerEnd} -j TTL --ttl-inc 1\n-A PREROUTING -i ${tun} -j TTL --ttl-inc 1\nCOMMIT\n` });
      }
    };
    return { near, far, route, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
