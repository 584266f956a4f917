// The ordered pool (src/model/orderedPool.ts) that the runner's --jobs and the app's sweep panel share: a fake
// transport whose workers end their items when the test says.
import { describe, expect, it } from "vitest";
import { orderedPool, type PoolPort } from "../src/model/orderedPool.ts";

/** A pool over `items` on `workers` fake workers; `finish(k, result)` ends item k on the worker that has it. */
function fakePool(items: string[], workers: number) {
  const log: string[] = [];
  const results: [string, string, number][] = [];
  const ended: number[] = [];
  const ports: PoolPort<string>[] = [];
  const holding = new Map<number, number>();
  const outcome: { end?: boolean; fail?: string } = {};
  const pool = orderedPool<string, string>({
    items,
    workers,
    start: (port, w) => {
      ports.push(port);
      log.push(`start ${w}`);
      return {
        send: (item, k) => {
          expect(item).toBe(items[k]);
          holding.set(k, w);
          log.push(`send ${k} to ${w}`);
        },
        release: () => log.push(`release ${w}`),
        kill: () => log.push(`kill ${w}`),
      };
    },
    onResult: (item, result, k) => results.push([item, result, k]),
    onEnded: (n) => ended.push(n),
    onEnd: (complete) => {
      expect(outcome).toEqual({});
      outcome.end = complete;
    },
    onFail: (e) => {
      expect(outcome).toEqual({});
      outcome.fail = e.message;
    },
  });
  const finish = (k: number, result = `r${k}`) => {
    const w = holding.get(k)!;
    holding.delete(k);
    ports[w]!.done(result);
  };
  return { pool, log, results, ended, ports, holding, outcome, finish };
}

describe("orderedPool", () => {
  it("hands each worker the next item as it ends one and delivers the results in the items' order when they end out of order", () => {
    const p = fakePool(["a", "b", "c", "d", "e"], 2);
    expect(p.log).toEqual(["start 0", "send 0 to 0", "start 1", "send 1 to 1"]);
    p.finish(1);
    expect(p.results).toEqual([]);
    expect(p.ended).toEqual([1]);
    expect(p.log.at(-1)).toBe("send 2 to 1");
    p.finish(2);
    expect(p.log.at(-1)).toBe("send 3 to 1");
    p.finish(0);
    expect(p.results).toEqual([["a", "r0", 0], ["b", "r1", 1], ["c", "r2", 2]]);
    expect(p.log.at(-1)).toBe("send 4 to 0");
    p.finish(4);
    expect(p.results).toHaveLength(3);
    expect(p.log.at(-1)).toBe("release 0");
    expect(p.outcome).toEqual({});
    p.finish(3);
    expect(p.results.map((r) => r[2])).toEqual([0, 1, 2, 3, 4]);
    expect(p.ended).toEqual([1, 2, 3, 4, 5]);
    expect(p.log.at(-1)).toBe("release 1");
    expect(p.outcome).toEqual({ end: true });
  });

  it("a failure ends every worker at once, and nothing is delivered after it", () => {
    const p = fakePool(["a", "b", "c", "d"], 3);
    p.finish(1);
    p.ports[2]!.fail(new Error("point 3 broke"));
    expect(p.outcome).toEqual({ fail: "point 3 broke" });
    expect(p.log.slice(-3)).toEqual(["kill 0", "kill 1", "kill 2"]);
    const logged = p.log.length;
    p.finish(0);
    p.ports[1]!.fail(new Error("again"));
    expect(p.results).toEqual([]);
    expect(p.log).toHaveLength(logged);
    expect(p.outcome).toEqual({ fail: "point 3 broke" });
  });

  it("cancel hands out no more items; those running end and are delivered, without a gap", () => {
    const p = fakePool(["a", "b", "c", "d", "e", "f"], 2);
    p.finish(0);
    expect(p.log.at(-1)).toBe("send 2 to 0");
    p.pool.cancel();
    p.finish(2);
    expect(p.log.at(-1)).toBe("release 0");
    expect(p.outcome).toEqual({});
    p.finish(1);
    expect(p.log.at(-1)).toBe("release 1");
    expect(p.log.filter((l) => l.startsWith("send"))).toHaveLength(3);
    expect(p.results.map((r) => r[2])).toEqual([0, 1, 2]);
    expect(p.outcome).toEqual({ end: false });
  });

  it("a cancel after the last item was handed out still ends complete", () => {
    const p = fakePool(["a", "b"], 2);
    p.pool.cancel();
    p.finish(1);
    p.finish(0);
    expect(p.results.map((r) => r[2])).toEqual([0, 1]);
    expect(p.outcome).toEqual({ end: true });
  });

  it("starts no more workers than there are items, and ends at once where there are none", () => {
    const p = fakePool(["a", "b"], 8);
    expect(p.log).toEqual(["start 0", "send 0 to 0", "start 1", "send 1 to 1"]);
    p.finish(0);
    p.finish(1);
    expect(p.log.slice(-2)).toEqual(["release 0", "release 1"]);
    expect(p.outcome).toEqual({ end: true });

    const none = fakePool([], 4);
    expect(none.log).toEqual([]);
    expect(none.outcome).toEqual({ end: true });
  });
});
