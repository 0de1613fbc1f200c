import type { ComparisonOp } from '../../contract/alerts.js';

/**
 * `value op threshold`. A `null` value (cannot tell) never satisfies anything; strings compare
 * only for (in)equality, and a string never equals a number.
 */
export function compareFigure(value: number | string | null, op: ComparisonOp, threshold: number | string): boolean {
  if (value === null) return false;
  if (typeof value === 'string' || typeof threshold === 'string') {
    if (op === '==') return value === threshold;
    if (op === '!=') return value !== threshold;
    return false;
  }
  switch (op) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
    case '==': return value === threshold;
    case '!=': return value !== threshold;
  }
}
