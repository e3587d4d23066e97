/**
 * The live suite catches a broken template. One end of a tunnel is rendered with a deliberately altered copy
 * of a strongSwan template (through renderStrongswanEnd's template-renderer parameter; production renders
 * with the files in templates/strongswan), the other end as sitewire emits it, and the tunnel must not come
 * up: each end logs the failure a drifted proposal, identity or secret causes, and no CHILD SA is installed.
 * The copy without an alteration renders byte for byte what the target emits, so the failures come from the
 * alteration alone (tunnels.test.ts brings the unaltered files up).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { afterAll, describe, expect, it } from "vitest";
import { hashComment, strongswanString } from "../../src/render/quote.js";
import { normalise, PACKAGE_ROOT } from "../../src/render/templates.js";
import { renderStrongswanEnd, type TemplateRenderer } from "../../src/targets/strongswan/render.js";
import { missing } from "../harness/tools.js";
import { daemonFiles, fromRender, type DaemonFormat } from "../harness/tunnel-ends.js";
import { MARKERS } from "./markers.js";
import { CASE_TIMEOUT_MS, compileSite, fileName, peerEnd, staysDown, Summary, type FailureMarkers } from "./tunnel-case.js";

const TEMPLATES = ["ipsec.conf", "ipsec.secrets", "swanctl.conf", "charon.conf"] as const;
type TemplateName = (typeof TEMPLATES)[number];
const templateText = (name: TemplateName) => readFileSync(join(PACKAGE_ROOT, "templates", "strongswan", `${name}.hbs`), "utf8");

/** `[template, from, to]`: in templates/strongswan/<template>.hbs, `from` becomes `to`. */
type Alteration = readonly [TemplateName, string, string];

/** Render with copies of the strongSwan templates, one of them altered (same helpers as src/render). */
function alteredRenderer(alteration?: Alteration): TemplateRenderer {
  const hb = Handlebars.create();
  hb.registerHelper("comment", (v: unknown) => hashComment(String(v)));
  hb.registerHelper("ssq", (v: unknown) => strongswanString(String(v)));
  hb.registerHelper("join", (items: unknown, sep: unknown) => (Array.isArray(items) ? items.map(String).join(typeof sep === "string" ? sep : ",") : ""));
  const compiled = new Map(
    TEMPLATES.map((name) => {
      const text = templateText(name);
      if (alteration?.[0] !== name) return [name, hb.compile(text, { strict: true, noEscape: true })];
      const [, from, to] = alteration;
      const altered = text.split(from).join(to);
      if (altered === text) throw new Error(`templates/strongswan/${name}.hbs has no ${JSON.stringify(from)}: the alteration would prove nothing`);
      return [name, hb.compile(altered, { strict: true, noEscape: true })];
    }),
  );
  return (name, data) => normalise(compiled.get(name as TemplateName)!(data));
}

interface Breakage {
  readonly what: string;
  /** The alteration of each format's templates. */
  readonly alter: Readonly<Record<DaemonFormat, Alteration>>;
  /** What each end logs, per IKE version. */
  readonly markers: Readonly<Record<1 | 2, FailureMarkers>>;
}

const BREAKAGES: readonly Breakage[] = [
  {
    what: "IKE proposal hard-coded",
    alter: {
      "ipsec-conf": ["ipsec.conf", 'ike={{join ikeProposals ","}}!', "ike=aes128-sha256-modp2048!"],
      swanctl: ["swanctl.conf", 'proposals = {{join ikeProposals ","}}', "proposals = aes128-sha256-modp2048"],
    },
    markers: MARKERS.ikeProposals,
  },
  {
    what: "ESP proposal hard-coded",
    alter: {
      "ipsec-conf": ["ipsec.conf", 'esp={{join espProposals ","}}!', "esp=aes128-sha1!"],
      swanctl: ["swanctl.conf", 'esp_proposals = {{join ../espProposals ","}}', "esp_proposals = aes128-sha1"],
    },
    markers: MARKERS.espProposals,
  },
  {
    what: "own identity typed from the other end",
    alter: {
      "ipsec-conf": ["ipsec.conf", "leftid={{localId}}", "leftid={{remoteId}}"],
      swanctl: ["swanctl.conf", "      auth = psk\n      id = {{localId}}", "      auth = psk\n      id = {{remoteId}}"],
    },
    markers: MARKERS.identity,
  },
  {
    what: "secret placeholder replaced by a literal (seed 004's 'cisco')",
    alter: {
      "ipsec-conf": ["ipsec.secrets", ": PSK {{ssq pskPlaceholder}}", ': PSK "cisco"'],
      swanctl: ["swanctl.conf", "secret = {{ssq pskPlaceholder}}", 'secret = "cisco"'],
    },
    markers: MARKERS.psk,
  },
];

/** An IKEv1 tunnel through 1:1 NAT to a Cisco stand-in (seed 004), and an IKEv2 one to a strongSwan peer. */
const TUNNELS = [
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1" },
  { site: "test/fixtures/sites/sw-ikev2.yaml", tunnel: "to-hub" },
] as const;

const FORMATS: readonly DaemonFormat[] = ["ipsec-conf", "swanctl"];

function caseOf(site: string, name: string) {
  const compiled = compileSite(site);
  const tunnel = compiled.model.tunnels.find((t) => t.name === name);
  if (!tunnel) throw new Error(`${site} has no tunnel ${name}`);
  return { site: compiled, tunnel };
}

describe("the altered-template renderer", () => {
  it.each(TUNNELS.flatMap((t) => FORMATS.map((f) => [t.site, t.tunnel, f] as const)))("%s %s: without an alteration it renders what the target renders (%s)", (site, name, format) => {
    const { tunnel } = caseOf(site, name);
    expect(renderStrongswanEnd(tunnel, tunnel.host, format, "x", alteredRenderer())).toEqual(renderStrongswanEnd(tunnel, tunnel.host, format, "x"));
  });
});

describe.skipIf(missing("root", "ipsec", "swanctl", "/usr/lib/ipsec/charon", "iptables-restore"))("a broken strongSwan template keeps the tunnel down", () => {
  const summary = new Summary("broken templates (host end altered)", ["alteration", "tunnel", "format", "host logged", "peer logged", "ms"]);
  afterAll(() => summary.print());

  const cases = BREAKAGES.flatMap((b) => TUNNELS.flatMap((t) => FORMATS.map((format) => [`${b.what}: ${t.tunnel}, ${fileName(format)}`, b, t, format] as const)));
  it.each(cases)(
    "%s",
    async (_, breakage, { site: file, tunnel: name }, format) => {
      const { site, tunnel } = caseOf(file, name);
      const renderTemplate = alteredRenderer(breakage.alter[format]);
      const broken = renderStrongswanEnd(tunnel, tunnel.host, format, site.file, renderTemplate);
      expect(broken).not.toEqual(renderStrongswanEnd(tunnel, tunnel.host, format, site.file));
      const host = daemonFiles(fromRender(broken), format);
      const down = await staysDown(site, tunnel, host, peerEnd(site, tunnel, format).files, breakage.markers[tunnel.host.ike.version]);
      summary.add(breakage.what, `${tunnel.name} (IKEv${tunnel.host.ike.version})`, fileName(format), down.host, down.peer, down.ms);
    },
    CASE_TIMEOUT_MS,
  );
});
