/** Cutting emitted strongSwan files down to one daemon's tunnels, and the lab keys (./strongswan.ts). */
import { describe, expect, it } from "vitest";
import { ipsecConns, keepIpsecConns, keepSwanctl, LabKeys, swanctlConnections } from "./strongswan.js";

const SWANCTL = `# header
connections {
  # a: says } and { in a comment
  a {
    local_addrs = 1.1.1.1
    children {
      a {
        local_ts = 0.0.0.0/0
      }
    }
  }
  # b: "quoted } brace"
  b {
    children {
      b {
      }
    }
  }
}

secrets {
  ike-a {
    secret = "@@sitewire-secret:env:A_PSK@@"
  }
  ike-b {
    secret = "@@sitewire-secret:env:B_PSK@@"
  }
}
`;

const IPSEC = `config setup

# a: first
conn a
    left=1.1.1.1

# b: second
conn b
    left=1.1.1.1

conn b-2
    left=1.1.1.1
`;

describe("cutting swanctl.conf", () => {
  it("finds the connections whatever the comments hold", () => {
    expect(swanctlConnections(SWANCTL).map((c) => c.name)).toEqual(["a", "b"]);
  });

  it("keeps only the named connections (with their comments) and every secret, verbatim", () => {
    const cut = keepSwanctl(SWANCTL, new Set(["b"]));
    expect(swanctlConnections(cut).map((c) => c.name)).toEqual(["b"]);
    expect(cut).not.toContain("local_addrs = 1.1.1.1");
    expect(cut).not.toContain("# a:");
    expect(cut).toContain("ike-a {");
    for (const line of cut.split("\n")) expect(SWANCTL.split("\n")).toContain(line);
    expect(keepSwanctl(SWANCTL, new Set(["a", "b"]))).toBe(SWANCTL);
  });
});

describe("cutting ipsec.conf", () => {
  it("keeps config setup and the named conns", () => {
    expect(ipsecConns(IPSEC)).toEqual(["a", "b", "b-2"]);
    const cut = keepIpsecConns(IPSEC, new Set(["b", "b-2"]));
    expect(ipsecConns(cut)).toEqual(["b", "b-2"]);
    expect(cut).toContain("config setup");
  });
});

describe("lab keys", () => {
  it("give one reference one key, other references other keys, and replace every placeholder", () => {
    const keys = new LabKeys();
    expect(keys.key("env:A")).toBe(keys.key("env:A"));
    expect(keys.key("env:A")).not.toBe(keys.key("env:B"));
    expect(keys.key("env:A")).not.toBe(new LabKeys().key("env:A"));
    expect(keys.key("env:A")).toMatch(/^lab-[A-Za-z0-9_-]{40,}$/);
    const files = keys.materialise({ mode: "vici", swanctlConf: SWANCTL, dropIns: [], origin: "emitted" });
    expect(files.swanctlConf).not.toContain("@@sitewire-secret");
    expect(files.swanctlConf).toContain(`secret = "${keys.key("env:A_PSK")}"`);
  });
});
