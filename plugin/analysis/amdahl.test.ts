import { describe, expect, it } from 'vitest'
import { amdahlSpeedup, fitAmdahl } from './amdahl.ts'

describe('fitAmdahl', () => {
  const exact = [1, 2, 4].map((gpus) => ({ gpus, speedup: amdahlSpeedup(0.1, gpus) }))

  it('recovers the serial fraction from exact Amdahl points', () => {
    const { fit } = fitAmdahl(exact, 100, [8])
    expect(fit?.serialFraction).toBeCloseTo(0.1, 10)
    expect(fit?.rmse).toBeCloseTo(0, 10)
  })
  it('projects unmeasured counts only, marked as projected', () => {
    const { fit } = fitAmdahl(exact, 100, [2, 8, 4])
    expect(fit?.projections).toHaveLength(1)
    const eight = fit?.projections[0]
    expect(eight?.gpus).toBe(8)
    expect(eight?.speedup).toBeCloseTo(1 / (0.1 + 0.9 / 8), 10)
    expect(eight?.wallSeconds).toBeCloseTo(100 / (eight?.speedup ?? 1), 10)
    expect(eight?.basis).toBe('projected (Amdahl fit, f=0.100)')
  })
  it('clamps super-linear speedups to f = 0', () => {
    const { fit } = fitAmdahl([{ gpus: 1, speedup: 1 }, { gpus: 2, speedup: 2.2 }], 10, [])
    expect(fit?.serialFraction).toBe(0)
  })
  it('needs a 1-GPU baseline and a larger count', () => {
    expect(fitAmdahl([{ gpus: 1, speedup: 1 }], 10, [8])).toEqual({ fit: null, note: 'needs at least 2 GPU counts (1 and more), measured only 1 GPU' })
    expect(fitAmdahl([{ gpus: 2, speedup: 1.8 }], 10, [8]).note).toMatch(/no 1-GPU measurement/)
  })
})
