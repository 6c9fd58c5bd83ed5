import { describe, expect, it } from 'vitest'
import type { ProjectionCheck } from '../../model/projection-check.ts'
import { projectionChecksSection } from './projection-checks.ts'

const check = (sample: string, projected: number, measured: number, low: number, high: number): ProjectionCheck => ({
  sample,
  gpus: 1,
  projectedSeconds: projected,
  low,
  high,
  measuredSeconds: measured,
  errorFraction: (projected - measured) / measured,
  inside: measured >= low && measured <= high,
  basis: 'calibrated on a, b at 1 GPU(s)',
})

describe('projectionChecksSection', () => {
  it('puts projected with its interval beside measured, with the signed error, and flags misses', () => {
    const text = projectionChecksSection([check('lambda-reads-10000', 19.2, 20.0, 18.1, 20.3), check('synth-huge', 260, 230, 245, 275)]).join('\n')
    expect(text).toContain('## Projection checks')
    expect(text).toContain('| lambda-reads-10000 | 1 | 19.2 s, 18.1–20.3 s | 20.0 s | −4.0 % | yes | ✅ |')
    expect(text).toContain('| synth-huge | 1 | 4.3 min, 4.1–4.6 min | 3.8 min | +13.0 % | no | ⚠️ |')
  })
  it('renders nothing without checks', () => {
    expect(projectionChecksSection([])).toEqual([])
  })
})
