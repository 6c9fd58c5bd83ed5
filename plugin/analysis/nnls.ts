/**
 * Non-negative least squares, min ‖Ax − b‖ subject to x ≥ 0, by Lawson and Hanson's active-set method (1974, ch. 23).
 * Sized for cost models: a handful of columns, tens of rows. Columns are scaled to unit norm first, so that terms in
 * seconds per FLOP and seconds per run are treated alike. Pure: no I/O.
 */

export interface NnlsResult {
  x: number[]
  /** Ax − b at the solution. */
  residuals: number[]
}

/** Solves the square system M y = v by Gaussian elimination with partial pivoting; null when singular. */
function solve(matrix: number[][], vector: number[]): number[] | null {
  const n = vector.length
  const a = matrix.map((row, i) => [...row, vector[i]!])
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r
    if (Math.abs(a[pivot]![col]!) < 1e-12) return null
    ;[a[col], a[pivot]] = [a[pivot]!, a[col]!]
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const factor = a[r]![col]! / a[col]![col]!
      for (let c = col; c <= n; c++) a[r]![c]! -= factor * a[col]![c]!
    }
  }
  return a.map((row, i) => row[n]! / row[i]!)
}

/** Unconstrained least squares over the columns in `passive` (normal equations; the systems here are tiny). */
function leastSquares(a: readonly number[][], b: readonly number[], passive: readonly number[]): number[] | null {
  const gram = passive.map((i) => passive.map((j) => a.reduce((s, row) => s + row[i]! * row[j]!, 0)))
  const rhs = passive.map((i) => a.reduce((s, row, r) => s + row[i]! * b[r]!, 0))
  return solve(gram, rhs)
}

export function nnls(matrix: readonly (readonly number[])[], b: readonly number[]): NnlsResult {
  const rows = matrix.length
  const cols = matrix[0]?.length ?? 0
  if (rows !== b.length) throw new Error(`nnls: ${rows} rows but ${b.length} targets`)
  if (matrix.some((row) => row.length !== cols)) throw new Error('nnls: ragged matrix')
  const norms = Array.from({ length: cols }, (_, j) => Math.sqrt(matrix.reduce((s, row) => s + row[j]! ** 2, 0)))
  // All-zero columns stay at x = 0: nothing in the data can say anything about them.
  const a = matrix.map((row) => row.map((v, j) => (norms[j]! > 0 ? v / norms[j]! : 0)))
  const x = new Array<number>(cols).fill(0)
  const passive = new Set<number>()
  const tolerance = 1e-10 * Math.max(1, Math.sqrt(b.reduce((s, v) => s + v * v, 0)))
  const gradient = (): number[] => {
    const r = a.map((row, i) => b[i]! - row.reduce((s, v, j) => s + v * x[j]!, 0))
    return Array.from({ length: cols }, (_, j) => a.reduce((s, row, i) => s + row[j]! * r[i]!, 0))
  }
  for (let outer = 0; outer < 3 * cols + 3; outer++) {
    const w = gradient()
    let best = -1
    for (let j = 0; j < cols; j++) if (!passive.has(j) && norms[j]! > 0 && w[j]! > tolerance && (best < 0 || w[j]! > w[best]!)) best = j
    if (best < 0) break
    passive.add(best)
    for (let inner = 0; inner < 3 * cols + 3; inner++) {
      const order = [...passive].sort((p, q) => p - q)
      const s = leastSquares(a, b, order)
      if (s === null) {
        passive.delete(best)
        break
      }
      if (s.every((v) => v > 0)) {
        order.forEach((j, k) => (x[j] = s[k]!))
        break
      }
      // Step towards s only as far as keeps x ≥ 0, then drop the columns that reached zero.
      let alpha = 1
      order.forEach((j, k) => {
        if (s[k]! <= 0) alpha = Math.min(alpha, x[j]! / (x[j]! - s[k]!))
      })
      order.forEach((j, k) => (x[j] = x[j]! + alpha * (s[k]! - x[j]!)))
      for (const j of order) if (x[j]! <= 1e-15) {
        x[j] = 0
        passive.delete(j)
      }
    }
  }
  const solution = x.map((v, j) => (norms[j]! > 0 ? v / norms[j]! : 0))
  const residuals = matrix.map((row, i) => row.reduce((s, v, j) => s + v * solution[j]!, 0) - b[i]!)
  return { x: solution, residuals }
}
