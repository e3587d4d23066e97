import { defineRule } from "./rule.js";
import { inFileOrder, lineOf } from "./support/file-order.js";
import { valueAt } from "./support/intent-paths.js";

/**
 * Settings of a failover pair that contradict each other or another pair: a route table both gateways serve
 * (each would take it over from the other), a gateway in two pairs (two monitors move its routes), and
 * options of one action set with the other action.
 */
export const failoverSettings = defineRule({
  code: "SW120",
  name: "failover-settings",
  description:
    "Failover pairs do not contradict themselves: the two gateways serve different route tables, a gateway is in one pair only, restartPartner needs action aws and command needs action command.",
  severity: "error",
  messages: {
    sharedTable: "route table {{table}} is served by both '{{first}}' and '{{second}}' of failover pair '{{pair}}'",
    twoPairs: "'{{gateway}}' is already a gateway of failover pair '{{other}}' (line {{line}})",
    restartWithoutAws: "restartPartner needs action: aws (it stops and starts the partner's EC2 instance); pair '{{pair}}' uses action: command",
    commandWithAws: "command is only run with action: command; pair '{{pair}}' uses action: aws",
  },
  check({ source, intent, model }, report) {
    const pairOf = new Map<string, { pair: string; index: number }>();
    for (const pair of inFileOrder(source, model.failover, (p) => ["failover", p.name], "key")) {
      const path = ["failover", pair.name];
      pair.gateways.forEach((gateway, index) => {
        const other = pairOf.get(gateway);
        if (other)
          report("twoPairs", [...path, "gateways", index], { gateway, other: other.pair, line: lineOf(source, ["failover", other.pair, "gateways", other.index]) }, {
            hint: "one gateway, one partner: remove it from one pair",
          });
        else pairOf.set(gateway, { pair: pair.name, index });
      });

      const [first, second] = pair.gateways;
      const tables = new Set(model.hosts.find((h) => h.name === first)?.cloud?.routeTables);
      model.hosts
        .find((h) => h.name === second)
        ?.cloud?.routeTables.forEach((table, i) => {
          if (tables.has(table))
            report("sharedTable", ["hosts", second, "cloud", "routeTables", i], { table, first, second, pair: pair.name }, {
              hint: "each gateway serves its own zone's route tables; the pair moves them when one fails",
            });
        });

      if (pair.action === "command" && valueAt(intent, [...path, "restartPartner"]) === true)
        report("restartWithoutAws", [...path, "restartPartner"], { pair: pair.name }, { hint: "remove restartPartner, or use action: aws" });
      if (pair.action === "aws" && valueAt(intent, [...path, "command"]) !== undefined)
        report("commandWithAws", [...path, "command"], { pair: pair.name }, { hint: "remove command, or set action: command", at: "key" });
    }
  },
});
