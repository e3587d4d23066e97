/**
 * Mutated intents, live: each row changes one end of a tunnel the way drift does in practice, and shows
 * (a) the prediction: compiling the mutated intent reports the two-end compatibility code (src/rules/compat),
 * and (b) the reality: rendering both ends anyway from the resolved model (bypassing the error) and starting
 * them, the negotiation fails within seconds with the marker strongSwan logs for that mismatch, and no CHILD
 * SA is installed on either end.
 *
 * Selectors and identities cannot differ between the ends of one intent (both are derived from one
 * definition), so those rows edit the peer's rendered file minimally instead, as a far side typed by hand
 * would; their prediction is that the unmodified intent compiles cleanly, and the drift is what sitewire
 * makes impossible.
 *
 * A PFS mismatch under IKEv2 is the one prediction a first negotiation cannot confirm: the first CHILD SA is
 * created inside IKE_AUTH without a key exchange, so the tunnel comes up and breaks at its first rekey (every
 * rekey interval, in production). The last case forces that rekey.
 */
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { compileSource } from "../../src/compile/pipeline.js";
import { resolveSite } from "../../src/model/resolve.js";
import type { TunnelModel } from "../../src/model/types.js";
import { strongswanTarget } from "../../src/targets/strongswan/index.js";
import { missing } from "../harness/tools.js";
import type { DaemonFormat } from "../harness/tunnel-ends.js";
import { sourceOf } from "../helpers/source.js";
import { MARKERS } from "./markers.js";
import { bringUp, CASE_TIMEOUT_MS, expectLogged, fileName, hostEnd, peerEnd, siteText, staysDown, Summary, type CompiledSite, type EndFiles, type FailureMarkers } from "./tunnel-case.js";

interface NegativeCase {
  readonly what: string;
  readonly site: string;
  readonly tunnel: string;
  /** Changes to the intent: [path, value] set on the YAML document. */
  readonly intent?: readonly (readonly [readonly (string | number)[], unknown])[];
  /** A hand edit of the peer's rendered file, per format: [from, to], which must change the text. */
  readonly peerEdit?: Readonly<Record<DaemonFormat, readonly [string, string]>>;
  /** The SW2xx code compiling the (mutated) intent reports; undefined for hand edits (the intent is clean). */
  readonly predicted?: string;
  /** What each end logs for this mismatch. */
  readonly markers: FailureMarkers;
}

const SW_IKEV2 = "test/fixtures/sites/sw-ikev2.yaml";
const SW_POLICY = "test/fixtures/sites/sw-policy.yaml";
const BJS = "sites/bjs-hybrid.yaml";
const AEAD = "test/fixtures/sites/aead-icv-bits.yaml";

const SELECTORS_EDIT = { "ipsec-conf": ["leftsubnet=10.2.0.0/24", "leftsubnet=10.9.0.0/24"], swanctl: ["local_ts = 10.2.0.0/24", "local_ts = 10.9.0.0/24"] } as const;

const CASES: readonly NegativeCase[] = [
  {
    what: "PSK reference differs, IKEv2",
    site: SW_IKEV2,
    tunnel: "to-hub",
    intent: [[["tunnels", "to-hub", "overrides", "hub", "psk"], { env: "SW_HUB_PSK_OLD" }]],
    predicted: "SW202",
    markers: MARKERS.psk[2],
  },
  {
    what: "PSK reference differs, IKEv1",
    site: SW_POLICY,
    tunnel: "hq-branch",
    intent: [[["tunnels", "hq-branch", "overrides", "gw-b", "psk"], { file: "/run/secrets/old-psk" }]],
    predicted: "SW202",
    markers: MARKERS.psk[1],
  },
  {
    what: "IKE proposals disjoint, IKEv2",
    site: SW_IKEV2,
    tunnel: "to-branch",
    intent: [[["tunnels", "to-branch", "overrides", "branch-router", "ike"], { proposals: ["aes128-sha256-modp2048"] }]],
    predicted: "SW201",
    markers: MARKERS.ikeProposals[2],
  },
  {
    what: "IKE proposals disjoint, IKEv1 through NAT",
    site: BJS,
    tunnel: "vpn1",
    intent: [[["tunnels", "vpn1", "overrides", "dc-router-1", "ike"], { proposals: ["aes128-sha256-modp3072"] }]],
    predicted: "SW201",
    markers: MARKERS.ikeProposals[1],
  },
  {
    what: "IKE versions differ",
    site: SW_IKEV2,
    tunnel: "to-hub",
    intent: [[["tunnels", "to-hub", "overrides", "hub", "ike"], { version: 1, proposals: ["aes256-sha384-ecp384"] }]],
    predicted: "SW201",
    markers: { host: /received NO_PROPOSAL_CHOSEN notify error/, peer: /no IKE config found for .*, sending NO_PROPOSAL_CHOSEN/ },
  },
  {
    what: "ESP proposals disjoint, IKEv2",
    site: SW_IKEV2,
    tunnel: "to-hub",
    intent: [[["tunnels", "to-hub", "overrides", "hub", "esp"], { proposals: ["aes128gcm16-ecp384"] }]],
    predicted: "SW203",
    markers: MARKERS.espProposals[2],
  },
  {
    // aes256gcm12 is aes256gcm96 in bits, not aes256gcm16: a different transform (ENCR_AES_GCM_ICV12).
    what: "ESP AEAD ICV lengths differ (aes256gcm96 against aes256gcm16), IKEv2",
    site: AEAD,
    tunnel: "to-lab",
    intent: [[["tunnels", "to-lab", "overrides", "lab", "esp"], { proposals: ["aes256gcm16-ecp384"] }]],
    predicted: "SW203",
    markers: MARKERS.espProposals[2],
  },
  {
    what: "ESP proposals disjoint, IKEv1",
    site: SW_POLICY,
    tunnel: "hq-branch",
    intent: [[["tunnels", "hq-branch", "overrides", "gw-b", "esp"], { proposals: ["aes128-sha256-modp3072"] }]],
    predicted: "SW203",
    markers: MARKERS.espProposals[1],
  },
  {
    what: "PFS groups differ, IKEv1",
    site: SW_POLICY,
    tunnel: "hq-branch",
    intent: [[["tunnels", "hq-branch", "overrides", "gw-b", "esp"], { proposals: ["aes256-sha256-modp4096"] }]],
    predicted: "SW203",
    markers: MARKERS.espProposals[1],
  },
  {
    what: "selectors differ (peer file edited), IKEv1",
    site: SW_POLICY,
    tunnel: "hq-branch",
    peerEdit: SELECTORS_EDIT,
    markers: { host: /received INVALID_ID_INFORMATION error notify/, peer: /no matching CHILD_SA config found for 10\.1\.0\.0\/24 === 10\.2\.0\.0\/24/ },
  },
  {
    what: "selectors differ (peer file edited), IKEv2",
    site: SW_POLICY,
    tunnel: "hq-branch",
    intent: [[["tunnels", "hq-branch", "ike", "version"], 2]],
    peerEdit: SELECTORS_EDIT,
    markers: { host: /received TS_UNACCEPTABLE notify, no CHILD_SA built/, peer: /traffic selectors 10\.2\.0\.0\/24 === 10\.1\.0\.0\/24 unacceptable/ },
  },
  {
    what: "identity differs (peer file edited), IKEv2",
    site: SW_IKEV2,
    tunnel: "to-branch",
    peerEdit: { "ipsec-conf": ["rightid=203.0.113.10", "rightid=@edge-1.example.net"], swanctl: ["id = 203.0.113.10", "id = @edge-1.example.net"] },
    markers: MARKERS.identity[2],
  },
  {
    what: "identity differs (peer file edited), IKEv1",
    site: SW_POLICY,
    tunnel: "hq-branch",
    peerEdit: { "ipsec-conf": ["rightid=198.51.100.1", "rightid=@gw-a.example.net"], swanctl: ["id = 198.51.100.1", "id = @gw-a.example.net"] },
    markers: MARKERS.identity[1],
  },
];

const FORMATS: readonly DaemonFormat[] = ["ipsec-conf", "swanctl"];

function mutatedText(c: NegativeCase): string {
  const doc = parseDocument(siteText(c.site));
  for (const [path, value] of c.intent ?? []) doc.setIn(path, doc.createNode(value));
  return String(doc);
}

/**
 * The prediction (error codes compiling the mutated intent) and the reality's input: the mutated intent
 * resolved into a model, errors or not, with its strongSwan files as the target emits them.
 */
function mutated(c: NegativeCase): { codes: string[]; site: CompiledSite; tunnel: TunnelModel } {
  const text = mutatedText(c);
  const codes = compileSource(c.site, text).diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
  const { source, intent } = sourceOf(text, c.site);
  const { model } = resolveSite(source, intent, "0".repeat(64));
  const tunnel = model.tunnels.find((t) => t.name === c.tunnel);
  if (!tunnel) throw new Error(`${c.site} has no tunnel ${c.tunnel}`);
  return { codes, site: { file: c.site, model, artifacts: strongswanTarget.emit(model) }, tunnel };
}

function edited(end: EndFiles, edit: readonly [string, string] | undefined): EndFiles {
  if (!edit) return end;
  const [from, to] = edit;
  const files = Object.fromEntries(
    Object.entries(end.files).map(([k, v]) => [k, typeof v === "string" && v.includes(from) ? v.split(from).join(to) : v]),
  ) as EndFiles["files"];
  expect(files, `the edit ${from} → ${to} changes the peer's file`).not.toEqual(end.files);
  return { files, origin: `${end.origin}, edited` };
}

describe.skipIf(missing("root", "ipsec", "swanctl", "/usr/lib/ipsec/charon", "iptables-restore", "ping"))("mutated intents keep the tunnel down, as predicted", () => {
  const summary = new Summary("negative cases", ["case", "format", "predicted", "host logged", "peer logged", "ms"]);
  afterAll(() => summary.print());

  it.each(CASES.flatMap((c) => FORMATS.map((format) => [`${c.what}, ${fileName(format)}`, c, format] as const)))(
    "%s",
    async (_, c, format) => {
      const { codes, site, tunnel } = mutated(c);
      if (c.predicted) expect(codes).toContain(c.predicted);
      else expect(codes).toEqual([]);
      const host = hostEnd(site, tunnel, format);
      const peer = edited(peerEnd(site, tunnel, format), c.peerEdit?.[format]);
      const down = await staysDown(site, tunnel, host.files, peer.files, c.markers);
      summary.add(c.what, fileName(format), codes.join(" ") || "— (intent clean)", down.host, down.peer, down.ms);
    },
    CASE_TIMEOUT_MS,
  );

  it("PFS groups differ, IKEv2: up at first (IKE_AUTH carries no key exchange), the first CHILD SA rekey fails", async () => {
    const c: NegativeCase = {
      what: "PFS groups differ, IKEv2",
      site: SW_IKEV2,
      tunnel: "to-hub",
      intent: [[["tunnels", "to-hub", "overrides", "hub", "esp"], { proposals: ["aes256gcm16-ecp521"] }]],
      predicted: "SW203",
      markers: MARKERS.espProposals[2],
    };
    const { codes, site, tunnel } = mutated(c);
    expect(codes).toContain(c.predicted);
    const started = Date.now();
    let logged: { host: string; peer: string } | undefined;
    await bringUp(site, tunnel, hostEnd(site, tunnel, "swanctl").files, peerEnd(site, tunnel, "swanctl").files, async (near, far) => {
      await near.exec(["swanctl", "--rekey", "--child", tunnel.name]);
      logged = await expectLogged(near, far, c.markers);
    });
    summary.add(`${c.what}, at rekey`, "swanctl.conf", codes.join(" "), logged!.host, logged!.peer, Date.now() - started);
  }, CASE_TIMEOUT_MS);
});
