import { describe, expect, it } from 'vitest';
import { estimateBaseline } from '../../src/alerts/detect.js';
import { negativeBinomialTail, poissonTail } from '../../src/alerts/stats.js';
import { logGamma } from '../../src/alerts/stats.js';

/** P(X ≥ k) by summing the probability mass function, for checking. */
function nbTailBySum(k: number, mean: number, size: number): number {
  const p = size / (size + mean);
  let below = 0;
  for (let x = 0; x < k; x++) {
    below += Math.exp(logGamma(x + size) - logGamma(size) - logGamma(x + 1) + size * Math.log(p) + x * Math.log(1 - p));
  }
  return 1 - below;
}

describe('count tails', () => {
  it('matches the Poisson tail computed by hand', () => {
    // 1 − e^−2 (1 + 2 + 2 + 4/3 + 2/3)
    expect(poissonTail(5, 2)).toBeCloseTo(1 - Math.exp(-2) * 7, 12);
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 0)).toBe(0);
  });

  it('matches the negative binomial tail summed term by term', () => {
    for (const [k, mean, size] of [[15, 10, 3], [40, 20, 8], [3, 0.5, 1.2]] as const) {
      expect(negativeBinomialTail(k, mean, size)).toBeCloseTo(nbTailBySum(k, mean, size), 10);
    }
  });

  it('keeps tiny tails instead of rounding them to zero', () => {
    const p = poissonTail(250, 10);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-200);
    expect(negativeBinomialTail(100, 10, 5)).toBeLessThan(1e-6);
  });

  it('is heavier for an overdispersed baseline than for a Poisson one', () => {
    expect(negativeBinomialTail(30, 10, 2)).toBeGreaterThan(100 * poissonTail(30, 10));
  });
});

describe('baseline', () => {
  it('leaves a past spike out of the mean and the dispersion', () => {
    const days = [9, 11, 10, 12, 8, 10, 300, 9, 11, 10];
    const b = estimateBaseline(days, 8);
    expect(b.days).toBe(10);
    expect(b.mean).toBeCloseTo(10, 0);
    expect(b.size).toBe(Number.POSITIVE_INFINITY);
  });
});
