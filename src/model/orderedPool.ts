/**
 * An ordered pool: runs a list of items on up to N workers side by side, each worker handed the next item as it
 * ends one (so the items start in their order), their results delivered in the items' order (an item that ends
 * early waits for those before it). A failure stops everything (every worker ended at once); a cancel hands out no
 * more items, and those running end, so the results delivered stay without a gap.
 *
 * It knows nothing of the transport: the caller starts each worker (a child process, a Web Worker, a promise...),
 * says how to hand it an item, let it go or end it, and reports each worker's replies on the port it is given.
 * Used by the headless runner's `--jobs` (src/cli/sweepRunner.ts) and the app's sweep (src/ui/sim/sweepRun.ts).
 */

/** How the pool drives one worker the caller started. */
export interface PoolWorker<Item> {
  /** Hands the worker an item (`k`: its place among the items). */
  send(item: Item, k: number): void;
  /** Lets the worker go: no item is left for it (or the pool was cancelled). Its end is expected from now on. */
  release(): void;
  /** Ends the worker at once: the pool failed. */
  kill(): void;
}

/** What a worker's replies are reported on. */
export interface PoolPort<Result> {
  /** The worker's current item ended with `result`; it takes the next. */
  done(result: Result): void;
  /** The worker failed (its item, or itself): the pool stops. */
  fail(error: Error): void;
}

export interface OrderedPoolOptions<Item, Result> {
  items: readonly Item[];
  /** Workers side by side, at most one per item. */
  workers: number;
  /** Starts a worker (`w`: which, from 0), whose replies go to `port`. */
  start(port: PoolPort<Result>, w: number): PoolWorker<Item>;
  /** Each item's result, in the items' order. */
  onResult(item: Item, result: Result, k: number): void;
  /** After each item's end and the results it let through: how many items have ended (in whatever order). */
  onEnded?(ended: number): void;
  /** The pool is over, every worker let go: `complete` where every item's result was delivered, not where cancelled. */
  onEnd(complete: boolean): void;
  /** The pool stopped at a failure (once; nothing is delivered after it). */
  onFail(error: Error): void;
}

export interface OrderedPool {
  /** Hands out no more items; those running end and are delivered, then onEnd(false) (or onEnd(true) where none was left). */
  cancel(): void;
}

export function orderedPool<Item, Result>(o: OrderedPoolOptions<Item, Result>): OrderedPool {
  const { items } = o;
  /** Results of items that ended before an item ahead of them, by the item's place. */
  const ahead = new Map<number, Result>();
  const started: PoolWorker<Item>[] = [];
  let next = 0, delivered = 0, running = 0, cancelled = false, over = false;
  const end = (complete: boolean) => {
    over = true;
    o.onEnd(complete);
  };
  /** Hands `w` the next item, or lets it go; the pool ends when the last one running is let go. */
  const handOut = (w: PoolWorker<Item>, current: { k: number }) => {
    if (!cancelled && next < items.length) {
      running++;
      current.k = next++;
      w.send(items[current.k]!, current.k);
      return;
    }
    w.release();
    if (running === 0 && !over) end(delivered === items.length);
  };
  const n = Math.min(o.workers, items.length);
  for (let w = 0; w < n && !over; w++) {
    const current = { k: -1 };
    let worker: PoolWorker<Item> | undefined;
    const port: PoolPort<Result> = {
      done: (result) => {
        if (over) return;
        running--;
        ahead.set(current.k, result);
        while (ahead.has(delivered)) {
          const r = ahead.get(delivered)!;
          ahead.delete(delivered);
          o.onResult(items[delivered]!, r, delivered++);
        }
        o.onEnded?.(delivered + ahead.size);
        handOut(worker!, current);
      },
      fail: (error) => {
        if (over) return;
        over = true;
        for (const s of started) s.kill();
        o.onFail(error);
      },
    };
    worker = o.start(port, w);
    started.push(worker);
    handOut(worker, current);
  }
  if (n === 0) end(true);
  return {
    cancel: () => {
      cancelled = true;
    },
  };
}
