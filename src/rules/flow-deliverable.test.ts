/**
 * Rule SW170 (flow-deliverable) end to end: it judges the explain engine's walks, which need the rendered
 * artifacts, so each case is a whole site compiled by compileSource (the rule tester stops before the
 * emitters). One invalid case per mutation class of issue 15, each asserted at its intent position with its
 * message and hint; the explain command the hint names must show the same drop; every example site and fixture
 * must be free of it; an undeliverable site writes nothing, and explain still answers for it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import { explainSource } from "../explain/index.js";
import { checkMeaning } from "./index.js";
import { flowDeliverable } from "./flow-deliverable.js";
import { PLATFORM_DECLARATIONS } from "../targets/platforms.js";
import { sourceOf } from "../../test/helpers/source.js";
import { resolveSite } from "../model/resolve.js";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");

function edit(text: string, from: string, to: string): string {
  expect(text, `the site holds ${JSON.stringify(from)}`).toContain(from);
  return text.split(from).join(to);
}

const PARTNER = { file: "sites/partner-vpn.yaml", text: read("sites/partner-vpn.yaml") };
const BJS = { file: "sites/bjs-hybrid.yaml", text: read("sites/bjs-hybrid.yaml") };
const POLICY = { file: "test/fixtures/sites/sw-policy.yaml", text: read("test/fixtures/sites/sw-policy.yaml") };
const BGP = { file: "test/fixtures/sites/onprem-bgp-cisco.yaml", text: read("test/fixtures/sites/onprem-bgp-cisco.yaml") };

/** partner-vpn whose flow is narrowed to tcp/8080 (what the egress allowlist allows). */
const PARTNER_8080 = edit(PARTNER.text, "    nat: masquerade\n", "    nat: masquerade\n    ports: [tcp/8080]\n");

/** bjs-hybrid with an office network that reaches the data centre through strongswan-1's tunnel. */
function bjsOffice(nat: "none" | "masquerade"): string {
  const withNet = edit(BJS.text, "  onprem: 10.10.0.0/16\n", "  onprem: 10.10.0.0/16\n  office: 192.168.50.0/24\n");
  return edit(withNet, "\nfailover:", `\nflows:\n  office-to-dc:\n    from: [office]\n    to: [onprem]\n    via: strongswan-1\n    out: tunnel1\n    nat: ${nat}\n\nfailover:`);
}

/** sw-policy with a flow from `from` through the policy-based tunnel to the branch LAN. */
function policyFlow(from: string): string {
  const withNet = edit(POLICY.text, "  lan-b: 10.2.0.0/24\n", "  lan-b: 10.2.0.0/24\n  office: 192.168.50.0/24\n");
  return edit(withNet, "\ntunnels:", `\nflows:\n  to-branch:\n    from: [${from}]\n    to: [lan-b]\n    via: gw-a\n    out: eth0\n    nat: none\n\ntunnels:`);
}

/** onprem-bgp-cisco whose gateway announces only the upper half of its LAN over both tunnels. */
const BGP_HALF = edit(
  edit(BGP.text, "preference: primary }", "preference: primary, announce: { host: [10.70.0.128/25] } }"),
  "bgp: { preference: secondary }",
  "bgp: { preference: secondary, announce: { host: [10.70.0.128/25] } }",
);

interface Expected {
  /** line:column and the text that starts there. */
  readonly at: string;
  readonly token: string;
  readonly message: string;
  /** The start of the hint (the engine's hint), and the explain options it ends with. */
  readonly hint: string;
  readonly question: string;
}

interface Case {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  /** Other codes the site reports besides SW170 (e.g. SW120's warning). */
  readonly others?: readonly string[];
  readonly errors: readonly Expected[];
}

const INVALID: readonly Case[] = [
  {
    name: "no route back: the flow's masquerade removed (nat: none), replies to the nodes cannot come back through tun0",
    file: PARTNER.file,
    text: edit(PARTNER.text, "    nat: masquerade", "    nat: none"),
    errors: [
      {
        at: "48:3",
        token: "partner-api:",
        message:
          "flow 'partner-api' is not deliverable: node-lan → partner-vpn (172.16.0.1) is dropped at hop 4 (reply, network tun0 of vpn-front): no route back: the reply to 10.24.0.10 must return through tun0, but beyond it only 172.16.0.0/24 (tun0's network) is routed to vpn-front: the source was not masqueraded to 172.16.0.10 (all 4 of its paths are dropped)",
        hint: "masquerade the flow (flows.partner-api.nat: masquerade)",
        question: "--flow partner-api",
      },
    ],
  },
  {
    name: "masqueraded into the wrong source: ip-masq-agent leaves the partner unmasqueraded, pods reach vpn-front with pod addresses",
    file: PARTNER.file,
    text: edit(PARTNER.text, "nonMasqueradeCIDRs: [cluster-internal]", "nonMasqueradeCIDRs: [cluster-internal, partner-vpn]"),
    others: ["SW120"],
    errors: [
      {
        at: "48:3",
        token: "partner-api:",
        message:
          "flow 'partner-api' is not deliverable: pod payments/app=curl on node-lan → partner-api (172.16.0.138) tcp/8080 is dropped at hop 5 (reply, network tun0 of vpn-front): no route back: the reply to the pod's address (payments/app=curl) must return through tun0, but beyond it only 172.16.0.0/24 (tun0's network) is routed to vpn-front: the source was not masqueraded to 172.16.0.10 (2 of its 4 paths are dropped)",
        hint: "masquerade the flow (flows.partner-api.nat: masquerade) and make sure its sources reach vpn-front with the addresses its rules match (ip-masq-agent must masquerade pod traffic)",
        question: "--from payments/app=curl --to partner-api:tcp/8080",
      },
    ],
  },
  {
    name: "a NetworkPolicy that forgets it: the egress allowlist allows tcp/9090, the flow carries tcp/8080",
    file: PARTNER.file,
    text: edit(PARTNER_8080, "          ports: [tcp/8080]", "          ports: [tcp/9090]"),
    errors: [
      {
        at: "48:3",
        token: "partner-api:",
        message:
          "flow 'partner-api' is not deliverable: pod payments/app=curl on node-lan → partner-api (172.16.0.138) tcp/8080 is dropped at hop 1 (forward, cluster pod payments/app=curl): egress denied: NetworkPolicy sitewire-default-deny-egress isolates egress of these pods and no policy allows 172.16.0.138 tcp/8080 (2 of its 4 paths are dropped)",
        hint: "allow it in cluster.egress (namespace payments): to 172.16.0.138 ports: [tcp/8080]",
        question: "--from payments/app=curl --to partner-api:tcp/8080",
      },
    ],
  },
  {
    name: "a NetworkPolicy that forgets it, for every pod of the namespace (an allowlist without pods: NAMESPACE/*)",
    file: PARTNER.file,
    text: edit(edit(PARTNER_8080, "      pods: { app: curl }\n", "      allowAll: every pod of payments calls the partner\n"), "          ports: [tcp/8080]", "          ports: [tcp/9090]"),
    errors: [
      {
        at: "48:3",
        token: "partner-api:",
        message:
          "flow 'partner-api' is not deliverable: pod payments/* on node-lan → partner-api (172.16.0.138) tcp/8080 is dropped at hop 1 (forward, cluster pod payments/*): egress denied: NetworkPolicy sitewire-default-deny-egress isolates egress of these pods and no policy allows 172.16.0.138 tcp/8080 (2 of its 4 paths are dropped)",
        hint: "allow it in cluster.egress (namespace payments)",
        question: "--from payments/* --to partner-api:tcp/8080",
      },
    ],
  },
  {
    name: "selectors that exclude it: a policy-based tunnel carries only lan-a, the flow comes from the office",
    file: POLICY.file,
    text: policyFlow("office"),
    errors: [
      {
        at: "29:3",
        token: "to-branch:",
        message:
          "flow 'to-branch' is not deliverable: office → lan-b (10.2.0.1) is dropped at hop 2 (forward, host gw-a): tunnel hq-branch's selectors exclude source 192.168.50.1: the packet would leave unencrypted",
        hint: "add 192.168.50.1 (or its network) to tunnels.hq-branch.routes.toHost",
        question: "--flow to-branch",
      },
    ],
  },
  {
    name: "a far-side route missing: the router routes only the VPC back into the tunnel, the office is not masqueraded",
    file: BJS.file,
    text: bjsOffice("none"),
    errors: [
      {
        at: "104:3",
        token: "office-to-dc:",
        message:
          "flow 'office-to-dc' is not deliverable: office → onprem (10.10.0.1) is dropped at hop 5 (reply, far-side dc-router-1): no route back: dc-router-1 has no route to 192.168.50.1 (tunnel vpn1 routes only 172.16.0.0/16 to strongswan-1)",
        hint: "add 192.168.50.1's network to tunnels.vpn1.routes.toHost, or masquerade the traffic to an address in it",
        question: "--flow office-to-dc",
      },
    ],
  },
  {
    name: "a far-side route missing for tunnel routes: BGP announces half of the LAN the tunnels route (each route, each tunnel)",
    file: BGP.file,
    text: BGP_HALF,
    errors: [
      {
        at: "44:24",
        token: "dc-lan]",
        message:
          "tunnel 'a' routes dc-lan (10.80.0.0/16) but does not deliver to it: gw-lan → dc-lan (10.80.0.1) is dropped at hop 5 (reply, far-side dc-router): no route back: dc-router has no route to 10.70.0.1 (over tunnel a, gw announces 10.70.0.128/25 and dc-router accepts 10.70.0.128/25)",
        hint: "add 10.70.0.1's network to tunnels.a.routes.toHost (and to bgp.announce.gw)",
        question: "--from gw-lan --to dc-lan",
      },
      {
        at: "44:42",
        token: "gw-lan]",
        message:
          "tunnel 'a' routes gw-lan (10.70.0.0/24) but does not deliver to it: dc-lan → gw-lan (10.70.0.1) is dropped at hop 1 (forward, far-side dc-router): no route: dc-router has no route to 10.70.0.1 (over tunnel a, gw announces 10.70.0.128/25 and dc-router accepts 10.70.0.128/25)",
        hint: "add 10.70.0.1's network to tunnels.a.routes.toHost",
        question: "--from dc-lan --to gw-lan",
      },
      {
        at: "55:24",
        token: "dc-lan]",
        message:
          "tunnel 'b' routes dc-lan (10.80.0.0/16) but does not deliver to it: gw-lan → dc-lan (10.80.0.1) is dropped at hop 5 (reply, far-side dc-router): no route back: dc-router has no route to 10.70.0.1 (over tunnel a, gw announces 10.70.0.128/25 and dc-router accepts 10.70.0.128/25)",
        hint: "add 10.70.0.1's network to tunnels.a.routes.toHost",
        question: "--from gw-lan --to dc-lan",
      },
      {
        at: "55:42",
        token: "gw-lan]",
        message:
          "tunnel 'b' routes gw-lan (10.70.0.0/24) but does not deliver to it: dc-lan → gw-lan (10.70.0.1) is dropped at hop 1 (forward, far-side dc-router): no route: dc-router has no route to 10.70.0.1 (over tunnel b, gw announces 10.70.0.128/25 and dc-router accepts 10.70.0.128/25)",
        hint: "add 10.70.0.1's network to tunnels.b.routes.toHost",
        question: "--from dc-lan --to gw-lan",
      },
    ],
  },
];

const VALID: readonly { name: string; file: string; text: string }[] = [
  { name: "partner-vpn narrowed to the port its allowlist allows", file: PARTNER.file, text: PARTNER_8080 },
  { name: "the office masqueraded to the tunnel's inside address (connected on the router's tunnel interface)", file: BJS.file, text: bjsOffice("masquerade") },
  { name: "a policy-based flow from the network the selectors carry", file: POLICY.file, text: policyFlow("lan-a") },
];

function shown(text: string, d: { range?: { start: { line: number; column: number } } }) {
  const line = d.range?.start.line ?? 0;
  const column = d.range?.start.column ?? 0;
  return { at: `${line}:${column}`, rest: (text.split("\n")[line - 1] ?? "").slice(column - 1) };
}

/** The explain options of a hint ("--flow X", "--from A --to B") as an explain query. */
function query(options: string): { flow?: string; from?: string; to?: string } {
  const words = options.split(" ");
  const value = (flag: string) => words[words.indexOf(flag) + 1];
  return words[0] === "--flow" ? { flow: value("--flow")! } : { from: value("--from")!, to: value("--to")! };
}

describe("rule flow-deliverable (SW170)", () => {
  it.each(INVALID.map((c) => [c.name, c] as const))("invalid: %s", (_, c) => {
    const result = compileSource(c.file, c.text);
    expect(result.diagnostics.filter((d) => d.code !== "SW170").map((d) => d.code)).toEqual(c.others ?? []);
    const found = result.diagnostics.filter((d) => d.code === "SW170");
    expect(
      found.map((d) => {
        const { at, rest } = shown(c.text, d);
        return { at, severity: d.severity, message: d.message, token: rest.slice(0, c.errors.find((e) => e.at === at)?.token.length ?? rest.length) };
      }),
    ).toEqual(c.errors.map((e) => ({ at: e.at, severity: "error", message: e.message, token: e.token })));
    found.forEach((d, i) => {
      const e = c.errors[i]!;
      expect(d.hint?.startsWith(e.hint), d.hint).toBe(true);
      expect(d.hint?.endsWith(`; every hop: sitewire explain ${c.file} ${e.question}`), d.hint).toBe(true);
    });
    // An error like any other: nothing to write.
    expect(result.model).toBeUndefined();
    expect(result.artifacts).toEqual([]);
  });

  it.each(INVALID.map((c) => [c.name, c] as const))("the explain command of each hint shows the same drop: %s", (_, c) => {
    const found = compileSource(c.file, c.text).diagnostics.filter((d) => d.code === "SW170");
    expect(found.length).toBeGreaterThan(0);
    // explain --from/--to enters by the first tunnel that carries the route; the rule walks each tunnel through
    // its own ends, so of two redundant tunnels the reason may name the other one.
    const anyTunnel = (text: string) => text.replace(/over tunnel [a-z0-9-]+,/g, "over tunnel …,");
    for (const [i, d] of found.entries()) {
      const e = explainSource(c.file, c.text, query(c.errors[i]!.question)).explanation!;
      expect(e.verdict.delivered).toBe(false);
      const dropped = e.paths.find((p) => !p.verdict.delivered)!;
      expect(!dropped.verdict.delivered && d.message).toContain(`is dropped at hop ${dropped.verdict.hop} `);
      expect(!dropped.verdict.delivered && anyTunnel(d.message)).toContain(`: ${anyTunnel(dropped.verdict.reason)}`);
    }
  });

  it.each(VALID.map((c) => [c.name, c] as const))("valid: %s", (_, c) => {
    const result = compileSource(c.file, c.text);
    expect(result.diagnostics.filter((d) => d.severity !== "warning" || d.code === "SW170").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.model).toBeDefined();
  });

  it("is silent before the emitters: the meaning checks have no walks to judge", () => {
    const { source, intent } = sourceOf(edit(PARTNER.text, "    nat: masquerade", "    nat: none"), PARTNER.file);
    const model = resolveSite(source, intent, "0".repeat(64)).model;
    expect(checkMeaning({ source, intent, model, strict: true, platforms: PLATFORM_DECLARATIONS }).filter((d) => d.code === flowDeliverable.code)).toEqual([]);
  });
});

describe("every example site and fixture is deliverable", () => {
  const files = [
    ...readdirSync(new URL("sites/", root)).map((f) => `sites/${f}`),
    ...readdirSync(new URL("test/fixtures/sites/", root)).map((f) => `test/fixtures/sites/${f}`),
  ].filter((f) => f.endsWith(".yaml"));

  it.each(files)("%s", (file) => {
    const result = compileSource(file, read(file));
    expect(result.diagnostics.filter((d) => d.code === "SW170").map((d) => d.message)).toEqual([]);
    expect(result.model, "compiles (else the walk never ran)").toBeDefined();
  });
});
