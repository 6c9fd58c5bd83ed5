/** How a projected time is written everywhere: the value, then its interval ("9.2 h, 8.6–9.9 h"). */

function unitFor(seconds: number): { divisor: number; unit: string } {
  if (seconds >= 3600) return { divisor: 3600, unit: 'h' }
  if (seconds >= 120) return { divisor: 60, unit: 'min' }
  return { divisor: 1, unit: 's' }
}

export function projectedTime(seconds: number, low: number, high: number): string {
  const { divisor, unit } = unitFor(seconds)
  const digits = seconds / divisor >= 100 ? 0 : 1
  const f = (v: number): string => (v / divisor).toFixed(digits)
  return `${f(seconds)} ${unit}, ${f(low)}–${f(high)} ${unit}`
}

/** The verdict column: the interval against the target (projections), or what a measured run shows. */
export function verdictText(verdict: 'within target' | 'over target' | 'undecided' | null): string {
  if (verdict === null) return '—'
  return verdict === 'within target' ? '✅ within target' : verdict === 'over target' ? '⚠️ over target' : '❔ undecided'
}
