import { describe, expect, it } from 'vitest';
import { nextSlot, previousSlot } from '../../src/schedule/slots.js';

describe('schedule slots (UTC)', () => {
  it('finds the latest hourly slot at or before now', () => {
    expect(previousSlot('7 * * * *', new Date('2026-11-28T10:06:59Z'))?.toISOString()).toBe('2026-11-28T09:07:00.000Z');
    expect(previousSlot('7 * * * *', new Date('2026-11-28T10:07:00Z'))?.toISOString()).toBe('2026-11-28T10:07:00.000Z');
  });

  it('finds a daily slot a day back', () => {
    expect(previousSlot('17 3 * * *', new Date('2026-11-28T02:00:00Z'))?.toISOString()).toBe('2026-11-27T03:17:00.000Z');
  });

  it('finds the next slot', () => {
    expect(nextSlot('7 * * * *', new Date('2026-11-28T10:07:00Z'))?.toISOString()).toBe('2026-11-28T11:07:00.000Z');
    expect(nextSlot('0 0 * * 1', new Date('2026-11-28T10:00:00Z'))?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
