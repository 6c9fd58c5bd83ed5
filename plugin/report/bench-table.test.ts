import { describe, expect, it } from 'vitest'
import { benchTableLines, gpuCountOf, microBenchLines } from './bench-table.ts'
import { buildCase, buildRun } from '../test-support/builders.ts'

describe('bench table', () => {
  it("shows the harness's wall time (the report's figure), not tinybench's hz/p99, and marks skipped GPU counts", () => {
    const c = buildCase({ runs: [buildRun({ gpuCount: 1, stageSeconds: {}, overheadSeconds: 4 })] })
    const lines = benchTableLines('scaling', c, [
      { name: '1 GPU', state: 'passed' },
      { name: '8 GPUs (skipped: this machine has 1)', state: 'skipped' },
    ])
    expect(lines[1]).toMatch(/runs +wall \(outside process\) +min … max +pipeline's own total +outcome/)
    expect(lines[2]).toMatch(/✓ 1 GPU +1 +\d+\.\d (s|min) +\(one run\) +\d+\.\d (s|min) +succeeded/)
    expect(lines[3]).toMatch(/↓ 8 GPUs \(skipped: this machine has 1\) +skipped$/)
    expect(lines.join('\n')).not.toMatch(/hz|p99|±/)
  })
  it('reads GPU counts from the harness bench names', () => {
    expect([gpuCountOf('CPU'), gpuCountOf('1 GPU'), gpuCountOf('4 GPUs (skipped)'), gpuCountOf('huge preset')]).toEqual([0, 1, 4, null])
  })
  it('keeps tinybench figures for micro-benchmarks, with ± only for more than one sample', () => {
    expect(microBenchLines('synth', [{ name: 'once', state: 'passed', tinybench: { meanMs: 5, minMs: 5, maxMs: 5, samples: 1, rmePercent: 0 } }])[1]).toBe('   ✓ once: mean 5.00 ms over 1 sample')
  })
})
