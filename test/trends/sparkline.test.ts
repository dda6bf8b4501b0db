import { describe, expect, it } from 'vitest';
import { sparkline } from '../../src/trends/sparkline.js';

describe('sparkline', () => {
  it('scales each row from its lowest to its highest value', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([10, 80, 10])).toBe('▁█▁');
  });

  it('shows a day without data as a blank, not as a quiet day', () => {
    expect(sparkline([0, null, 7])).toBe('▁ █');
    expect(sparkline([null, null])).toBe('  ');
  });

  it('draws a flat row low when nothing happened and mid-height when every day was the same', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([5, 5])).toBe('▄▄');
  });
});
