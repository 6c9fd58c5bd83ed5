import { describe, expect, it } from 'vitest'
import { cosineOf, TensorAccumulator } from './tensor-accumulator.ts'

const acc = (): TensorAccumulator => new TensorAccumulator('dnabert', 1e-3, 1e-5)

describe('TensorAccumulator (numpy allclose semantics)', () => {
  it('accepts a difference exactly on the bound and rejects one just beyond it', () => {
    const a = acc()
    // bound for b = 1: 1e-5 + 1e-3 = 0.00101; use exactly representable steps via float64 arrays
    const b = 1
    const bound = 1e-5 + 1e-3 * b
    a.add('on', [b + bound], [b])
    expect(a.stats().outsideTolerance).toBe(0)
    a.add('beyond', [b + bound * 1.01], [b])
    const s = a.stats()
    expect(s.outsideTolerance).toBe(1)
    expect(s.vectorsOutside).toBe(1)
    expect(s.worst?.id).toBe('beyond')
  })

  it('uses the reference (b) for the relative bound, not the candidate', () => {
    const a = acc()
    // |a-b| = 0.5; bound with b=1000 is 1.00001 (close); swapped, b=999.5 still close; but b=0 → bound 1e-5
    a.add('x', [1000.5], [1000])
    expect(a.stats().outsideTolerance).toBe(0)
    const z = acc()
    z.add('y', [1e-4], [0])
    expect(z.stats().outsideTolerance).toBe(1)
    expect(z.stats().worst).toEqual({ id: 'y', index: 0, candidate: 1e-4, reference: 0, bound: 1e-5 })
  })

  it('reports max abs and max rel differences', () => {
    const a = acc()
    a.add('v', [1.1, 2, -3.3], [1, 2, -3])
    const s = a.stats()
    expect(s.maxAbsDiff).toBeCloseTo(0.3, 12)
    expect(s.maxRelDiff).toBeCloseTo(0.1, 9)
    expect(s.elements).toBe(3)
    expect(s.outsideTolerance).toBe(2)
    expect(s.outsidePercent).toBeCloseTo(200 / 3, 9)
  })

  it('picks the element that broke its bound by the largest margin, not the largest difference', () => {
    const a = acc()
    // index 0: d = 0.5 on b = 1000 → bound ≈ 1.00001, inside. index 1: d = 0.01 on b = 0 → margin ≈ 0.00999.
    // index 2: d = 0.02 on b = 10 → bound 0.01001, margin ≈ 0.00999 - tiny. Index 1 wins.
    a.add('v', [1000.5, 0.01, 10.02], [1000, 0, 10])
    const w = a.stats().worst
    expect(w?.index).toBe(1)
    expect(w?.bound).toBeCloseTo(1e-5, 15)
    expect(a.stats().maxAbsDiff).toBeCloseTo(0.5, 12)
  })

  it('counts NaN as never close and Inf as close only to the same infinity', () => {
    const a = acc()
    a.add('n', [Number.NaN, 1, Infinity, -Infinity], [Number.NaN, 1, Infinity, Infinity])
    const s = a.stats()
    expect(s.nanCount).toBe(1)
    expect(s.infCount).toBe(2)
    expect(s.outsideTolerance).toBe(2) // NaN vs NaN, -Inf vs +Inf
    expect(s.worst).toBeNull() // non-finite elements never become the (JSON-unsafe) worst element
    expect(a.nonFiniteVectorCount).toBe(1)
    expect(a.referenceNonFiniteCount).toBe(3)
    // a vector with non-finite values is left out of the cosine figures
    expect(s.minCosine).toBe(1)
  })

  it('computes cosine per vector, min and mean', () => {
    const a = acc()
    a.add('same', [1, 2, 3], [1, 2, 3])
    a.add('orth', [1, 0], [0, 1])
    const s = a.stats()
    expect(s.minCosine).toBeCloseTo(0, 12)
    expect(s.meanCosine).toBeCloseTo(0.5, 12)
    expect(a.lowest?.id).toBe('orth')
  })

  it('treats zero vectors as identical to zero and unrelated to anything else', () => {
    expect(cosineOf([0, 0], [0, 0])).toBe(1)
    expect(cosineOf([0, 0], [1, 0])).toBe(0)
    expect(cosineOf([2, 0], [-1, 0])).toBe(-1)
    expect(() => cosineOf([1], [1, 2])).toThrow(/different lengths/)
  })

  it('counts width mismatches instead of comparing them', () => {
    const a = acc()
    a.add('w', new Float32Array(767), new Float32Array(768))
    expect(a.widthMismatch).toEqual({ count: 1, first: { id: 'w', candidate: 767, reference: 768 } })
    expect(a.stats().vectors).toBe(0)
  })

  it('reports an empty stage as no divergence and is JSON-safe', () => {
    const s = acc().stats()
    expect(s).toMatchObject({ vectors: 0, elements: 0, outsidePercent: 0, minCosine: 1, meanCosine: 1, worst: null })
    expect(JSON.parse(JSON.stringify(s))).toEqual(s)
  })

  it('rejects negative tolerances', () => {
    expect(() => new TensorAccumulator('esm', -1, 0)).toThrow(/non-negative/)
  })

  it('matches float32 inputs like numpy does (values widened to float64)', () => {
    const a = acc()
    const c = Float32Array.of(0.1, 0.2)
    const r = Float32Array.of(0.1, 0.2)
    a.add('f', c, r)
    expect(a.stats()).toMatchObject({ maxAbsDiff: 0, outsideTolerance: 0, minCosine: 1 })
  })
})
