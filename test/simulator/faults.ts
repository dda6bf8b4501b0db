/**
 * Switchable failures: deterministic ones (`inject`: the next `count` matching requests) and
 * probabilistic ones (`set`: each matching request with probability `rate`, drawn from the seeded
 * sequence, so a run with the same seed and request order fails the same way).
 */
import { sequence } from './rng.js';

export type FaultKind = '500' | '502' | '503' | 'drop' | 'secondary' | 'slow';

/** Which requests a fault applies to: 'graphql', 'rest', or a path glob (`*` = one segment, `**` = any). */
export type FaultRoute = string;

export interface FaultSpec {
  kind: FaultKind;
  route?: FaultRoute;
  /** `secondary`: the retry-after header in seconds (default 60). */
  retryAfter?: number;
  /** `slow`: how long to hold the answer, in real milliseconds (default 1000). */
  delayMs?: number;
}

export interface InjectedFault extends FaultSpec {
  count: number;
}

export interface RandomFault extends FaultSpec {
  rate: number;
}

export interface Faults {
  /** Fails the next `count` matching requests with `kind`. */
  inject(fault: InjectedFault): void;
  /** Fails each matching request with probability `rate` (replaces a rule of the same kind and route). */
  set(fault: RandomFault): void;
  /** A GraphQL query touching more than `n` repository fields answers 502 timeout; undefined turns it off. */
  setTimeoutAbove(n: number | undefined): void;
  timeoutAbove(): number | undefined;
  /** Removes every fault. */
  clear(): void;
  /** The fault for this request, if any (consumes one injected count). */
  take(kind: 'graphql' | 'rest', path: string): FaultSpec | undefined;
  /** What is pending, for the admin endpoint. */
  describe(): { injected: InjectedFault[]; random: RandomFault[]; timeoutAbove: number | null };
}

/** Makes the fault switchboard, with probabilistic draws seeded from `seed`. */
export function createFaults(seed: number): Faults {
  let injected: InjectedFault[] = [];
  let random: RandomFault[] = [];
  let timeout: number | undefined;
  const draw = sequence(seed ^ 0x5eed_fa17);

  return {
    inject(fault) {
      if (!(fault.count > 0)) throw new RangeError('inject needs a positive count');
      injected.push({ ...fault });
    },
    set(fault) {
      random = random.filter((f) => !(f.kind === fault.kind && f.route === fault.route));
      if (fault.rate > 0) random.push({ ...fault });
    },
    setTimeoutAbove(n) {
      timeout = n;
    },
    timeoutAbove: () => timeout,
    clear() {
      injected = [];
      random = [];
      timeout = undefined;
    },
    take(kind, path) {
      const hit = injected.find((f) => matches(f.route, kind, path));
      if (hit) {
        hit.count -= 1;
        if (hit.count <= 0) injected = injected.filter((f) => f !== hit);
        return hit;
      }
      for (const f of random) {
        if (matches(f.route, kind, path) && draw() < f.rate) return f;
      }
      return undefined;
    },
    describe: () => ({ injected: injected.map((f) => ({ ...f })), random: random.map((f) => ({ ...f })), timeoutAbove: timeout ?? null }),
  };
}

function matches(route: FaultRoute | undefined, kind: 'graphql' | 'rest', path: string): boolean {
  if (route === undefined || route === '*' || route === kind) return true;
  if (route === 'graphql' || route === 'rest') return false;
  return globToRegExp(route).test(path);
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*')}$`);
}
