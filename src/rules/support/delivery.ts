/**
 * What the deliverability rule (SW170, ../flow-deliverable.ts) is handed: each path the explain engine walked
 * through the compiled site (src/explain/walks.ts), as plain data. The engine reads the rendered artifacts, so
 * the pipeline walks after the emitters (src/compile/deliverability.ts) and runs the rule then; the rule itself
 * imports neither the engine nor any target.
 */
import type { Prefix } from "../../model/types.js";

export type DeliverySubject =
  | { readonly kind: "flow"; readonly flow: string; readonly pods?: string }
  /** A tunnel route walked toward `side`'s network `prefix`. */
  | { readonly kind: "tunnel-route"; readonly tunnel: string; readonly side: "toPeer" | "toHost"; readonly prefix: Prefix };

export interface DeliveryWalk {
  readonly subject: DeliverySubject;
  /** The path as explain prints it: "node-remote → partner-vpn (172.16.0.1) tcp/8080". */
  readonly path: string;
  /** The `sitewire explain` options that show it ("--flow partner-api"). */
  readonly question: string;
  /** Absent: delivered both ways. */
  readonly drop?: {
    readonly hop: number;
    readonly direction: "forward" | "reply";
    /** The hop as explain prints it: "far-side dc-router-1", "network tun0 of vpn-front". */
    readonly at: string;
    readonly reason: string;
    readonly hint: string;
  };
}
