import { describe, expect, it } from 'vitest';
import { quantile, steadyRate } from '../../bench/measure.js';

describe('bench statistics', () => {
  it('interpolates quantiles between the nearest samples', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('takes the steady rate between the ramp and the drain of a closed loop', () => {
    // 2 connections, 10 answers: a burst of 2 at the start, one answer every 100 ms while both are busy, then the
    // last requests drain slowly. Steady stretch: from the 2nd answer (index 1) to the 8th (index 7, which sent the
    // 10th and last request).
    const at = [5, 10, 110, 210, 310, 410, 510, 610, 1500, 3000];
    expect(steadyRate(at, 2)).toBeCloseTo((6 * 1000) / 600, 9);
    // Slow ends do not move it; they move the overall rate (10 answers over 3 s).
    expect(steadyRate([...at.slice(0, 8), 9000, 20000], 2)).toBeCloseTo(10, 9);
  });

  it('has no steady rate for a cell too short to have all connections busy', () => {
    expect(steadyRate([1, 2, 3, 4], 2)).toBeNaN();
    expect(steadyRate([1, 2, 3, 4, 5, 6], 8)).toBeNaN();
  });
});
