import { describe, expect, it } from 'vitest';
import { ageInWords } from '../../../src-main/shells/electron/statusWords.js';

describe('ageInWords', () => {
  it.each([
    [0, '0 s'], [59_999, '59 s'], [60_000, '1 min'], [3_599_999, '59 min'], [3_600_000, '1 h'], [86_400_000, '1 d'], [3 * 86_400_000 + 5, '3 d'],
  ])('%i ms → %s', (ms, words) => expect(ageInWords(ms)).toBe(words));
});
