/**
 * Which tunnel settings one end may set for itself (`tunnels.<t>.overrides.<end>`), in one list read by both
 * the schema (src/intent/schema.ts derives the override's schema from the tunnel's own) and the resolver
 * (src/model/tunnels.ts merges an end's override over the tunnel with `endSettings`). Making a new tunnel
 * setting overridable is one entry here.
 *
 * A key with a list: the end may set those keys of that object, each on its own (the rest comes from the
 * tunnel). A key with `true`: the end's value replaces the tunnel's whole (a secret reference is one value,
 * never merged with the tunnel's). Override-only keys (`address`) are declared in the schema beside the list.
 *
 * No TypeBox here: the resolver runs at every compile and must not load the schema builder.
 */
import type { EndOverrideIntent, TunnelIntent } from "./schema.js";

export const PER_END = {
  ike: ["version", "proposals", "lifetime"],
  esp: ["proposals", "lifetime"],
  psk: true,
  dpd: ["delay", "timeout", "action"],
  mtu: true,
  mss: true,
} as const;

export type PerEndKey = keyof typeof PER_END;

/** The tunnel's settings as one end sees them: the PER_END keys its override sets replace the tunnel's. */
export function endSettings(tunnel: TunnelIntent, override: EndOverrideIntent | undefined): TunnelIntent {
  if (!override) return tunnel;
  const merged: Record<string, unknown> = { ...tunnel };
  const own = override as Readonly<Record<string, unknown>>;
  for (const [key, which] of Object.entries(PER_END) as [PerEndKey, (typeof PER_END)[PerEndKey]][]) {
    const value = own[key];
    if (value === undefined) continue;
    if (which === true) {
      merged[key] = value;
      continue;
    }
    const inner: Record<string, unknown> = { ...(merged[key] as Readonly<Record<string, unknown>> | undefined) };
    for (const field of which) {
      const v = (value as Readonly<Record<string, unknown>>)[field];
      if (v !== undefined) inner[field] = v;
    }
    merged[key] = inner;
  }
  return merged as TunnelIntent;
}
