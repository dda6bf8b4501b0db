/**
 * Seeded, stateless randomness: every generated value in the simulated world is a pure
 * function of (seed, keys), so lists can be produced lazily and identically on every call.
 */

/** 32-bit FNV-1a hash of the parts (integers mixed without making strings), finished with a murmur3 mix. */
export function hash32(...parts: ReadonlyArray<string | number>): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    if (typeof part === 'number' && Number.isSafeInteger(part)) {
      // Hot path (per-day noise, per-item ids): mix both 32-bit halves, no string allocated.
      h = Math.imul(h ^ (part >>> 0), 0x01000193);
      h = Math.imul(h ^ Math.floor(part / 0x1_0000_0000), 0x01000193);
    } else {
      const text = String(part);
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    }
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by the parts. */
export function unit(...parts: ReadonlyArray<string | number>): number {
  return hash32(...parts) / 0x1_0000_0000;
}

/** A sequential seeded generator (mulberry32), for draws whose order is itself deterministic. */
export function sequence(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Picks one element of a non-empty list by a unit value. */
export function pick<T>(items: readonly T[], u: number): T {
  const item = items[Math.min(items.length - 1, Math.floor(u * items.length))];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
