import { defineRule } from "./rule.js";
import { inFileOrder, lineOf, repeats } from "./support/file-order.js";
import { firstSet } from "./support/intent-paths.js";

/**
 * Decision: a routing table belongs to exactly one route-based tunnel. The tunnel's script replaces and
 * flushes its table and the failover monitor moves its routes, so a table shared by two tunnels would lose
 * one tunnel's routes whenever the other goes down. Rule priorities must differ because `ip rule` keeps
 * rules of equal priority in insertion order, which then depends on which tunnel came up first.
 */
export const uniqueTables = defineRule({
  code: "SW107",
  name: "unique-tables",
  description:
    "On each host every route-based tunnel has its own routing table and its own ip rule priority (two tunnels never share a table: each tunnel's script owns and flushes its table).",
  severity: "error",
  messages: {
    table: "routing table {{value}} of tunnel '{{tunnel}}' is already the table of tunnel '{{first}}' on host '{{host}}' (line {{line}})",
    priority: "rule priority {{value}} of tunnel '{{tunnel}}' is already the priority of tunnel '{{first}}' on host '{{host}}' (line {{line}})",
  },
  check({ source, intent, model }, report) {
    for (const host of model.hosts) {
      const items = host.vtis.map((v) => {
        const table = firstSet(intent, ["tunnels", v.tunnel, "table"], ["tunnels", v.tunnel, "key"]) ?? ["tunnels", v.tunnel];
        const priority = firstSet(intent, ["tunnels", v.tunnel, "rulePriority"]) ?? table;
        return { v, paths: { table, priority } };
      });
      const ordered = inFileOrder(source, items, (i) => i.paths.table);
      const data = (kind: "table" | "priority", first: (typeof items)[number], again: (typeof items)[number], value: number) => ({
        value,
        tunnel: again.v.tunnel,
        first: first.v.tunnel,
        host: host.name,
        line: lineOf(source, first.paths[kind]),
      });
      for (const { first, again } of repeats(ordered, (i) => i.v.table))
        report("table", again.paths.table, data("table", first, again, again.v.table), { hint: "give each route-based tunnel its own table (1..252)" });
      // A priority that follows a shared table is already reported with the table.
      for (const { first, again } of repeats(ordered, (i) => i.v.rulePriority).filter((r) => r.first.v.table !== r.again.v.table))
        report("priority", again.paths.priority, data("priority", first, again, again.v.rulePriority), { hint: "give every ip rule its own priority (1..32765)" });
    }
  },
});
