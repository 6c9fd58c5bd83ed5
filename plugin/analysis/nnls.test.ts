import { describe, expect, it } from 'vitest'
import { nnls } from './nnls.ts'

describe('nnls', () => {
  it('recovers non-negative coefficients exactly when the data fit them', () => {
    const a = [
      [1, 10, 1e9],
      [1, 200, 5e9],
      [1, 40, 2e10],
      [1, 900, 7e10],
    ]
    const truth = [3, 0.01, 2e-10]
    const b = a.map((row) => row.reduce((s, v, j) => s + v * truth[j]!, 0))
    const { x, residuals } = nnls(a, b)
    x.forEach((v, j) => expect(v).toBeCloseTo(truth[j]!, 8 - Math.round(Math.log10(1 / truth[j]!))))
    residuals.forEach((r) => expect(Math.abs(r)).toBeLessThan(1e-9))
  })
  it('clamps a coefficient that unconstrained least squares would make negative', () => {
    // b falls with the second column: the unconstrained slope is negative, NNLS puts it at 0 and fits the mean.
    const a = [
      [1, 1],
      [1, 2],
      [1, 3],
    ]
    const { x } = nnls(a, [3, 2, 1])
    expect(x[1]).toBe(0)
    expect(x[0]).toBeCloseTo(2, 10)
  })
  it('leaves an all-zero column at zero', () => {
    const { x } = nnls([[1, 0], [2, 0]], [2, 4])
    expect(x[0]).toBeCloseTo(2, 12)
    expect(x[1]).toBe(0)
  })
})
