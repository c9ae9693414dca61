/**
 * One instance per process of what must not be doubled — above all the database: Next.js compiles route
 * handlers, server components and instrumentation into separate module graphs, so a plain module-level
 * `let` is one instance per graph, and two PGlite instances on one data directory would each keep their own
 * view of it (a write through one unseen by the other, and a corrupted directory). These live on
 * `globalThis` under one registry instead, shared by every graph in the process.
 */
const REGISTRY = Symbol.for("wallet-onboarding.process-shared");

function registry(): Map<string, unknown> {
  const holder = globalThis as typeof globalThis & { [REGISTRY]?: Map<string, unknown> };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/** The process's `name`, built once by `build`; a build that fails is forgotten, so the next call tries again. */
export function sharedInProcess<T>(name: string, build: () => Promise<T>): Promise<T> {
  const shared = registry();
  const existing = shared.get(name) as Promise<T> | undefined;
  if (existing) return existing;
  const building = build();
  shared.set(name, building);
  building.catch(() => {
    if (shared.get(name) === building) shared.delete(name);
  });
  return building;
}

/** The process's `name`, built once by `build` (synchronous). */
export function sharedValueInProcess<T>(name: string, build: () => T): T {
  const shared = registry();
  if (!shared.has(name)) shared.set(name, build());
  return shared.get(name) as T;
}
