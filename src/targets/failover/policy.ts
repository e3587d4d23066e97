/**
 * The failover monitor's decision logic as a pure function: the specification of what the generated bash
 * script (templates/failover/monitor.sh.hbs) does on every tick. The host runs the bash script, not this;
 * test/real/failover-monitor.test.ts drives the real script and compares its actions with this function on
 * random probe schedules, so the two cannot drift apart silently.
 *
 * Per probe (partner gateway, own tunnel) a health of unknown/up/down, debounced by consecutive counts:
 * unknown → up on the first success, anything → down after `failures` consecutive failures, down → up
 * after `recoveries` consecutive successes. Per group of route tables (this host's own, the partner's) the
 * monitor remembers who carries it: self, partner or unknown. Each tick it compares that with what the
 * healths call for and acts only on a difference:
 *
 *   own tunnel up                  own tables → self; if the partner is down, partner tables → self too,
 *                                  then (restartPartner, aws) stop the partner and start it again, once
 *   own tunnel down, partner up    own tables and partner tables → partner
 *   own tunnel down, partner down  nothing moves, nothing is restarted: logged as an error on entry
 *   anything unknown               nothing moves (at boot, wait for evidence)
 *
 * When the partner comes back (down → up), the partner may have taken our tables while it could not see us,
 * so our own tables become unknown and are claimed again; tables of the partner that we carry are not
 * pushed back: the partner reclaims them itself (its monitor claims its own tables at start, seed 004 step 6),
 * and only it knows whether its tunnel works. They stay "unknown" to us and are handed to the partner if our
 * own tunnel later fails.
 */

export type Health = "unknown" | "up" | "down";
export type Carrier = "self" | "partner" | "unknown";
/** Restart of the partner instance within one outage: not yet, stop requested, start requested. */
export type RestartPhase = "idle" | "stopping" | "started";

export interface ProbeState {
  readonly health: Health;
  /** Consecutive successes and failures (one of them is 0). */
  readonly ok: number;
  readonly fail: number;
}

export interface MonitorState {
  readonly own: ProbeState;
  readonly partner: ProbeState;
  readonly ownTables: Carrier;
  readonly partnerTables: Carrier;
  readonly restart: RestartPhase;
}

export interface Thresholds {
  readonly failures: number;
  readonly recoveries: number;
  /** restartPartner with action aws and a known partner instance id. */
  readonly restartPartner: boolean;
}

export interface Observation {
  readonly partnerUp: boolean;
  readonly tunnelUp: boolean;
  /** While a restart is stopping the partner: does the cloud report the instance stopped? */
  readonly partnerStopped?: boolean;
}

export type Decision =
  | { readonly do: "takeover" | "release"; readonly tables: "own" | "partner" }
  | { readonly do: "stop-partner" }
  | { readonly do: "start-partner" }
  | { readonly do: "both-down" };

export const INITIAL_STATE: MonitorState = {
  own: { health: "unknown", ok: 0, fail: 0 },
  partner: { health: "unknown", ok: 0, fail: 0 },
  ownTables: "unknown",
  partnerTables: "partner",
  restart: "idle",
};

export function probe(p: ProbeState, success: boolean, t: Thresholds): ProbeState {
  const ok = success ? p.ok + 1 : 0;
  const fail = success ? 0 : p.fail + 1;
  let health = p.health;
  if (fail >= t.failures) health = "down";
  else if (health === "unknown" && ok >= 1) health = "up";
  else if (health === "down" && ok >= t.recoveries) health = "up";
  return { health, ok, fail };
}

/** One tick: new state and the decisions, in the order the script carries them out (all assumed to succeed). */
export function tick(state: MonitorState, seen: Observation, t: Thresholds): { state: MonitorState; decisions: Decision[] } {
  const partner = probe(state.partner, seen.partnerUp, t);
  const own = probe(state.own, seen.tunnelUp, t);
  let { ownTables, partnerTables, restart } = state;
  const decisions: Decision[] = [];

  if (state.partner.health === "down" && partner.health === "up") {
    ownTables = "unknown";
    if (partnerTables === "self") partnerTables = "unknown";
    if (restart === "started") restart = "idle";
  }

  const ensure = (tables: "own" | "partner", want: "self" | "partner") => {
    if ((tables === "own" ? ownTables : partnerTables) === want) return;
    decisions.push({ do: want === "self" ? "takeover" : "release", tables });
    if (tables === "own") ownTables = want;
    else partnerTables = want;
  };

  if (own.health === "up") {
    ensure("own", "self");
    if (partner.health === "down") {
      ensure("partner", "self");
      if (t.restartPartner && restart === "idle") {
        decisions.push({ do: "stop-partner" });
        restart = "stopping";
      }
    }
  } else if (own.health === "down" && partner.health === "up") {
    ensure("own", "partner");
    ensure("partner", "partner");
  } else if (own.health === "down" && partner.health === "down" && !(state.own.health === "down" && state.partner.health === "down")) {
    decisions.push({ do: "both-down" });
  }

  if (restart === "stopping" && !decisions.some((d) => d.do === "stop-partner") && seen.partnerStopped) {
    decisions.push({ do: "start-partner" });
    restart = "started";
  }
  return { state: { own, partner, ownTables, partnerTables, restart }, decisions };
}

/** Run a whole schedule from the initial state; the decisions of every tick, in order. */
export function run(schedule: readonly Observation[], t: Thresholds): Decision[][] {
  let state = INITIAL_STATE;
  return schedule.map((seen) => {
    const next = tick(state, seen, t);
    state = next.state;
    return next.decisions;
  });
}
