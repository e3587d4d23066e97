/**
 * The facts parse-back reads from what test/readers/ returns (the readers' own tests are beside them): a
 * wrong fact here would make the agreement proof agree with a wrong artifact.
 */
import { describe, expect, it } from "vitest";
import { missing } from "../harness/tools.js";
import { readFrr } from "../readers/frr.js";
import { readIos } from "../readers/ios.js";
import { bgpOf } from "./bgp-facts.js";
import { fromIpsecConf, fromSwanctl } from "./host-facts.js";
import { vtiDevices } from "./host-script.js";
import { iosTunnels } from "./ios-facts.js";

describe("strongSwan facts from ipsec.conf + ipsec.secrets", () => {
  const conf = `# comment
config setup
    charondebug="ike 1"

conn %default
    keyexchange=ikev2
    dpddelay=30s

conn base
    left=10.0.0.1 # trailing comment
    leftid=@gw.example.net

conn vpn1
    also=base
    right=192.0.2.1
    ike=aes256-sha256-modp3072,aes128-sha256-modp2048!
    esp=aes256gcm16-ecp384!
    mark=7/0xffffffff
`;
  it("applies %default and also=, drops the strict marker, reads time units", () => {
    const facts = fromIpsecConf(conf, '@gw.example.net 192.0.2.1 : PSK "s3cret # not a comment"\n', "vpn1")!;
    expect(facts).toMatchObject({ ikeVersion: 2, ikeProposals: ["aes256-sha256-modp3072", "aes128-sha256-modp2048"], espProposals: ["aes256gcm16-ecp384"], mark: 7, dpdDelay: 30 });
    expect(facts.psk).toBe("s3cret # not a comment");
  });
  it("refuses a file its reader refuses instead of skipping the line", () => {
    expect(() => fromIpsecConf("conn x\n    left 10.0.0.1\n", "", "x")).toThrow(/not a key=value/);
    expect(() => fromIpsecConf("conn x\n    left=1.1.1.1\n", "1.2.3.4 : PSK\n", "x")).toThrow(/SELECTORS : TYPE SECRET/);
  });
  it("finds the secret by both identities", () => {
    expect(fromIpsecConf("conn t\n    left=1.1.1.1\n    right=3.3.3.3\n", '1.1.1.1 2.2.2.2 : PSK "a"\n1.1.1.1 3.3.3.3 : PSK "b"\n', "t")?.psk).toBe("b");
  });
});

describe("strongSwan facts from swanctl.conf", () => {
  const text = `connections {
  t {   # comment
    version = 1
    proposals = aes256-sha256-modp3072
    rekey_time = 471m
    over_time = 9m
    local {
      id = 1.1.1.1
    }
    remote {
      id = 2.2.2.2
    }
    children {
      t {
        esp_proposals = aes256-sha256-modp3072
        life_time = 1h
        mark_in = 100
      }
    }
  }
}
secrets {
  ike-t {
    id-1 = 1.1.1.1
    id-2 = 2.2.2.2
    secret = "@@sitewire-secret:env:X@@"
  }
}
`;
  it("reads nested sections, values and secrets", () => {
    expect(fromSwanctl(text, "t")).toMatchObject({ ikeVersion: 1, localId: "1.1.1.1", remoteId: "2.2.2.2", psk: "@@sitewire-secret:env:X@@", mark: 100, ikeLifetime: 28800, espLifetime: 3600 });
  });
  it("refuses a file its reader refuses", () => {
    expect(() => fromSwanctl("connections {\n", "t")).toThrow(/never closed/);
  });
});

describe("IOS tunnel facts", () => {
  it("follows names from the interface to its crypto, and maps IOS keywords back to strongSwan ones", () => {
    const [t] = iosTunnels(
      readIos(`crypto ikev2 proposal p1
 encryption aes-gcm-256
 prf sha384
 group 20
crypto ikev2 policy pol
 match address local 9.9.9.9
 proposal p1
crypto ikev2 keyring k
 peer gw
  address 1.2.3.4
  pre-shared-key @@sitewire-secret:env:K@@
crypto ikev2 profile prof
 match address local 9.9.9.9
 match identity remote fqdn gw.example.net
 identity local address 9.9.9.9
 keyring local k
 dpd 10 4 on-demand
crypto ipsec transform-set ts esp-gcm 256
crypto ipsec profile ip
 set transform-set ts
 set pfs group20
 set ikev2-profile prof
interface Tunnel7
 ip address 169.254.0.1 255.255.255.252
 tunnel destination 1.2.3.4
 tunnel protection ipsec profile ip
`),
    );
    expect(t).toMatchObject({
      number: 7,
      ikeVersion: 2,
      ikeProposals: ["aes256gcm16-prfsha384-ecp384"],
      espProposals: ["aes256gcm16"],
      pfs: "ecp384",
      psk: "@@sitewire-secret:env:K@@",
      pskAddress: "1.2.3.4",
      remoteIdentity: "gw.example.net",
      localIdentity: "9.9.9.9",
      localAddresses: ["9.9.9.9", "9.9.9.9"],
      dpd: { seconds: 10, retry: 4 },
    });
  });
});

describe("BGP facts (IOS and FRR words)", () => {
  it("reads router bgp, neighbours from both levels, and follows prefix lists and route maps by name", () => {
    const ios = `router bgp 65020
 bgp router-id 10.80.255.1
 neighbor 169.254.61.2 remote-as 65010
 neighbor 169.254.61.2 timers 10 30
 neighbor 169.254.61.2 fall-over bfd
 address-family ipv4
  network 10.80.0.0 mask 255.255.0.0
  neighbor 169.254.61.2 activate
  neighbor 169.254.61.2 prefix-list IN in
  neighbor 169.254.61.2 prefix-list MISSING out
  neighbor 169.254.61.2 route-map OUT out
 exit-address-family
!
ip prefix-list IN seq 10 permit 10.71.0.0/24
ip prefix-list IN seq 5 permit 10.70.0.0/24
ip prefix-list IN seq 15 permit 10.0.0.0/8 le 24
route-map OUT permit 10
 set metric 200
 set as-path prepend 65020 65020
`;
    const bgp = bgpOf(readIos(ios))!;
    expect(bgp).toMatchObject({ as: 65020, routerId: "10.80.255.1", networks: ["10.80.0.0/16"] });
    expect(bgp.neighbors).toEqual([
      {
        address: "169.254.61.2",
        remoteAs: 65010,
        timers: { keepalive: 10, holdTime: 30 },
        bfd: true,
        activated: true,
        activated6: false,
        // In sequence order; an entry with le/ge is not an exact network and stays visible as such.
        prefixIn: { name: "IN", exists: true, permits: ["10.70.0.0/24", "10.71.0.0/24", "?permit 10.0.0.0/8 le 24"], deniesAll: false },
        // A reference to a list that does not exist: IOS permits everything.
        prefixOut: { name: "MISSING", exists: false, permits: [], deniesAll: false },
        routeMapOut: { name: "OUT", exists: true, metric: 200, prepend: [65020, 65020] },
      },
    ]);
    expect(bgpOf(readIos("interface Tunnel1\n ip address 169.254.61.1 255.255.255.252\n"))).toBeUndefined();
  });

  it("reads the IPv6 address family: activation per family, ipv6 prefix lists, IPv6 networks (issue 16)", () => {
    const ios = [
      "ipv6 prefix-list IN6 seq 5 permit 2001:db8:70::/64",
      "ipv6 prefix-list OUT6 seq 5 deny ::/0 le 128",
      "router bgp 65071",
      " neighbor 169.254.70.2 remote-as 65070",
      " neighbor fd00:70::2 remote-as 65070",
      " address-family ipv4",
      "  neighbor 169.254.70.2 activate",
      "  no neighbor fd00:70::2 activate",
      " exit-address-family",
      " address-family ipv6",
      "  network 2001:db8:71::/48",
      "  neighbor fd00:70::2 activate",
      "  neighbor fd00:70::2 prefix-list IN6 in",
      "  neighbor fd00:70::2 prefix-list OUT6 out",
      " exit-address-family",
      "",
    ].join("\n");
    const bgp = bgpOf(readIos(ios))!;
    expect(bgp.networks).toEqual(["2001:db8:71::/48"]);
    const [v4, v6] = bgp.neighbors;
    expect([v4?.address, v4?.activated, v4?.activated6]).toEqual(["169.254.70.2", true, false]);
    expect([v6?.address, v6?.activated, v6?.activated6]).toEqual(["fd00:70::2", false, true]);
    expect(v6?.prefixIn).toEqual({ name: "IN6", exists: true, permits: ["2001:db8:70::/64"], deniesAll: false });
    expect(v6?.prefixOut).toEqual({ name: "OUT6", exists: true, permits: [], deniesAll: true });
  });

  it("reads FRR's spelling: address-family ipv4 unicast, network a/len, neighbor bfd, route-map matching a prefix list", () => {
    const frr = `router bgp 65010
 neighbor 169.254.61.1 remote-as 65020
 neighbor 169.254.61.1 bfd
 !
 address-family ipv4 unicast
  network 10.70.0.0/24
  neighbor 169.254.61.1 route-map sw-in in
 exit-address-family
exit
route-map sw-in permit 10
 match ip address prefix-list sw-in
 set local-preference 200
exit
`;
    const bgp = bgpOf(readFrr(frr))!;
    expect(bgp.networks).toEqual(["10.70.0.0/24"]);
    // Active for IPv4 by `bgp default ipv4-unicast` (FRR traditional defaults), no `activate` line needed.
    expect(bgp.neighbors[0]).toMatchObject({ address: "169.254.61.1", remoteAs: 65020, bfd: true, activated: true, activated6: false, routeMapIn: { localPreference: 200, matchPrefixList: "sw-in" } });
  });
});

describe.skipIf(missing("bash"))("tunnel script facts", () => {
  it("collects the vti device, its address and MTU from the commands bash parses, not from comments", () => {
    const script =
      "# ip link add vti8 type vti local 10.0.0.1 remote 192.0.2.1 key 8\nensure_link vti9 x y \\\n    ip link add vti9 type vti local 10.0.0.1 remote 192.0.2.1 key 9\n  ensure_addr vti9 'z' ip addr add 169.254.0.2/30 remote 169.254.0.1/30 dev vti9\n  ip link set dev vti9 mtu 1400 up\n";
    expect(vtiDevices(script)).toEqual([{ device: "vti9", kind: "vti", local: "10.0.0.1", remote: "192.0.2.1", key: 9, address: "169.254.0.2", length: 30, peer: "169.254.0.1", mtu: 1400 }]);
  });

  it("collects an XFRM interface (dev and if_id) the same way", () => {
    const script =
      "# ip link add xfrm8 type xfrm dev eth1 if_id 8\nensure_link xfrm9 xfrm y \\\n    ip link add xfrm9 type xfrm dev eth0 if_id 9\n  ensure_addr xfrm9 'z' ip addr add 169.254.0.2/30 remote 169.254.0.1/30 dev xfrm9\n  ip link set dev xfrm9 mtu 1400 up\n";
    expect(vtiDevices(script)).toEqual([{ device: "xfrm9", kind: "xfrm", underlay: "eth0", key: 9, address: "169.254.0.2", length: 30, peer: "169.254.0.1", mtu: 1400 }]);
  });
});
