/**
 * The one writer of imported intents (AWS, NetBox): a plain intent object becomes YAML through the `yaml`
 * package's Document API, so that comments (where a value came from, TODOs for what the source lacks) sit
 * on the key they are about. Every comment and header line passes oneLine(): imported text can never start
 * a new YAML line.
 */
import { Document, isCollection, isMap, isPair, isScalar, isSeq, visit, type Node } from "yaml";
import { oneLine, type DataPath } from "./source.js";

export interface IntentComment {
  /** The key (or list item) the comment goes above. */
  readonly path: DataPath;
  readonly text: string;
}

export const SCHEMA_MODELINE = "yaml-language-server: $schema=../schema/site.schema.json";

/** YAML text of `intent` with `header` lines on top and each comment above its key. Deterministic. */
export function renderIntent(header: readonly string[], intent: Record<string, unknown>, comments: readonly IntentComment[]): string {
  const doc = new Document(intent);
  const commented = new Set<Node>();
  for (const c of comments) {
    const node = keyNode(doc, c.path);
    if (!node) throw new Error(`comment on a path the intent lacks: ${c.path.join(".")}`);
    const line = ` ${oneLine(c.text, 600)}`;
    node.commentBefore = node.commentBefore ? `${node.commentBefore}\n${line}` : line;
    commented.add(node);
  }
  // Short lists and maps of plain values on one line ([gw, aws], { env: X }), unless a comment is inside.
  visit(doc, {
    Map(_, node) {
      if (node.items.length <= 4 && node.items.every((p) => isScalar(p.value) && !commented.has(p.key as Node))) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every((i) => isScalar(i) && !commented.has(i))) node.flow = true;
    },
  });
  doc.commentBefore = header.map((l) => (l === "" ? "" : ` ${oneLine(l, 600)}`)).join("\n");
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** The node a comment at `path` attaches to: the key scalar of a map entry, or the list item itself. */
function keyNode(doc: Document, path: DataPath): Node | undefined {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === last);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }
  if (isSeq(parent) && typeof last === "number") {
    const item = parent.items[last];
    return isScalar(item) || isCollection(item) ? (item as Node) : undefined;
  }
  return undefined;
}
