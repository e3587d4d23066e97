/**
 * What `sitewire explain` answers: a path hop by hop, forward and reply, each step citing the artifact line
 * that decides it and the intent line that caused it, and a verdict.
 */
import type { PortRange } from "../model/types.js";

/** A place in a rendered artifact: path relative to out/<site>/, 1-based line, the line's text. */
export interface ArtifactCite {
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

/** A place in the intent file (1-based line). */
export interface IntentCite {
  readonly file: string;
  readonly line: number;
  /** The intent path shown to people ("flows.partner-api.nat"). */
  readonly key: string;
}

export interface Step {
  readonly what: string;
  readonly artifact?: ArtifactCite;
  readonly intent?: IntentCite;
}

export type HopKind = "cluster" | "host" | "link" | "tunnel" | "far-side" | "network";

export interface Hop {
  /** 1-based, counted over the forward and then the reply path. */
  readonly n: number;
  readonly direction: "forward" | "reply";
  readonly kind: HopKind;
  /** Host, peer, link, tunnel or network name. */
  readonly at: string;
  /** The packet as it arrives at this hop. */
  readonly packet: { readonly src: string; readonly dst: string };
  readonly steps: readonly Step[];
  /** Set when the packet dies here. */
  readonly drop?: { readonly reason: string; readonly hint: string };
}

export type Verdict =
  | { readonly delivered: true }
  | { readonly delivered: false; readonly hop: number; readonly reason: string; readonly hint: string };

export interface PathExplanation {
  /** Where the packet starts, as the user would name it ("node-remote", "pod payments/app=curl"). */
  readonly from: string;
  readonly to: string;
  readonly service?: PortRange & { readonly text: string };
  readonly hops: readonly Hop[];
  readonly verdict: Verdict;
}

export interface Explanation {
  readonly site: string;
  /** The question, as one line ("flow partner-api", "payments/app=curl → 172.16.0.138:tcp/8080"). */
  readonly question: string;
  readonly paths: readonly PathExplanation[];
  /** delivered only when every path is. */
  readonly verdict: Verdict & { readonly path?: number };
}

export type Endpoint =
  | { readonly kind: "pod"; readonly namespace: string; readonly labels: Readonly<Record<string, string>>; readonly text: string }
  | { readonly kind: "host"; readonly name: string }
  | { readonly kind: "network"; readonly cidr: string; readonly name?: string };

export interface Query {
  readonly flow?: string;
  readonly from?: string;
  readonly to?: string;
}

/** A wrong question (unknown flow, a --from that names nothing): exit 64 from the CLI. */
export class QueryError extends Error {
  override readonly name = "QueryError";
}
