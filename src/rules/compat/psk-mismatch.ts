import type { IntentPath } from "../../intent/source.js";
import { valueAt } from "../support/intent-paths.js";
import { defineRule } from "../rule.js";
import { differingSetting } from "./blame.js";

/** Prevents Batfish's IKE_PHASE1_KEY_MISMATCH: both ends take the pre-shared key from the same secret. */
export const pskMismatch = defineRule({
  code: "SW202",
  name: "psk-mismatch",
  description: "Both ends of a tunnel use the same pre-shared key reference (IKE_PHASE1_KEY_MISMATCH).",
  severity: "error",
  messages: {
    differ: "tunnel '{{tunnel}}': {{host}} takes its pre-shared key from {{hostRef}} but {{peer}} from {{peerRef}}; authentication fails",
  },
  check({ intent, model }, report) {
    for (const t of model.tunnels) {
      const [a, b] = [t.host.psk, t.peer.psk];
      if (a.kind === b.kind && a.ref === b.ref) continue;
      const { path, at } = differingSetting(intent, t, ["psk"]);
      report(
        "differ",
        at === "value" ? pointAtReference(intent, path) : path,
        { tunnel: t.name, host: t.host.node, peer: t.peer.node, hostRef: `${a.kind} ${a.ref}`, peerRef: `${b.kind} ${b.ref}` },
        { at, hint: "a tunnel has one secret: drop the psk override, or point both ends at the same env/file" },
      );
    }
  },
});

/** `psk: { env: X }` → the `env` entry, so the caret sits on the reference itself. */
function pointAtReference(intent: unknown, path: IntentPath): IntentPath {
  const ref = valueAt(intent, path);
  const key = ref && typeof ref === "object" ? Object.keys(ref)[0] : undefined;
  return key ? [...path, key] : path;
}
