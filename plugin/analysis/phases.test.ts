import { describe, expect, it } from 'vitest'
import type { PhaseMark } from '../metrics/phase-marks.ts'
import { logClockOffsetMs, stagePhases } from './phases.ts'

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0)
const at = (s: number): number => T0 + s * 1000
const mark = (kind: PhaseMark['kind'], s: number, source = 'main', model: PhaseMark['model'] = null): PhaseMark => ({ kind, atMs: at(s), precise: true, source, model, text: kind })
const split = (phases: ReturnType<typeof stagePhases>) => phases.map((p) => [p.name, Number(p.seconds.toFixed(3)), p.basis])

describe('stagePhases', () => {
  it('follows logged marks from stage start to stage end', () => {
    const marks = [mark('load-start', 2, 'main', 'esm'), mark('model-ready', 10, 'main', 'esm'), mark('first-batch', 12), mark('inference-end', 40)]
    expect(split(stagePhases({ stage: 'PROTEIN_FEATURES', startMs: at(0), endMs: at(45), marks, busyTimesMs: [], intervalMs: null }))).toEqual([
      ['startup', 2, 'logged'],
      ['model-load', 8, 'logged'],
      ['waiting', 2, 'logged'],
      ['inference', 28, 'logged'],
      ['teardown', 5, 'logged'],
    ])
  })

  it('takes the inference window from the busy samples where nothing logs it, and says start-up and load were not told apart', () => {
    const phases = stagePhases({ stage: 'NUCLEOTIDE_FEATURES', startMs: at(0), endMs: at(20), marks: [], busyTimesMs: [at(-3), at(9.5), at(12), at(18)], intervalMs: 500 })
    expect(split(phases)).toEqual([
      ['model-load', 9.5, 'sampled at 500 ms'],
      ['inference', 8.5, 'sampled at 500 ms'],
      ['teardown', 2, 'sampled at 500 ms'],
    ])
    expect(phases[0]?.note).toMatch(/not told apart/)
  })

  it('looks for the first busy sample only after the model is ready (moving weights to the GPU shows as ~12 %)', () => {
    const marks = [mark('load-start', 1, 'worker 0', 'esm'), mark('model-ready', 30, 'worker 0', 'esm'), mark('inference-end', 50, 'worker 0')]
    const phases = stagePhases({ stage: 'PROTEIN_FEATURES', startMs: at(0), endMs: at(52), marks, busyTimesMs: [at(28), at(33), at(49)], intervalMs: 500 })
    expect(split(phases)).toEqual([
      ['startup', 1, 'logged'],
      ['model-load', 29, 'logged'],
      ['waiting', 3, 'sampled at 500 ms'],
      ['inference', 17, 'sampled at 500 ms'],
      ['teardown', 2, 'logged'],
    ])
  })

  it('follows the worker that finished last, and ignores marks of the other model', () => {
    const marks = [
      mark('load-start', 1, 'worker 0', 'esm'),
      mark('load-start', 1, 'worker 1', 'esm'),
      mark('model-ready', 5, 'worker 0', 'esm'),
      mark('model-ready', 7, 'worker 1', 'esm'),
      mark('first-batch', 6, 'worker 0'),
      mark('first-batch', 8, 'worker 1'),
      mark('inference-end', 20, 'worker 0'),
      mark('inference-end', 25, 'worker 1'),
      mark('load-start', 26, 'main', 'dnabert'),
    ]
    expect(split(stagePhases({ stage: 'PROTEIN_FEATURES', startMs: at(0), endMs: at(30), marks, busyTimesMs: [], intervalMs: null }))).toEqual([
      ['startup', 1, 'logged'],
      ['model-load', 6, 'logged'],
      ['waiting', 1, 'logged'],
      ['inference', 17, 'logged'],
      ['teardown', 5, 'logged'],
    ])
  })

  it("prefers a worker's full set of marks over a parent's lone whole-second line", () => {
    const marks = [mark('load-start', 1, 'worker 0', 'esm'), mark('model-ready', 2, 'worker 0', 'esm'), mark('first-batch', 2.1, 'worker 0'), mark('inference-end', 8, 'worker 0'), { ...mark('inference-end', 9.4, 'main', 'esm'), precise: false }]
    expect(split(stagePhases({ stage: 'PROTEIN_FEATURES', startMs: at(0), endMs: at(9), marks, busyTimesMs: [], intervalMs: null })).map((p) => p[0])).toEqual(['startup', 'model-load', 'waiting', 'inference', 'teardown'])
  })

  it('adds up repeated loads (the vanilla path reloads the model per split file)', () => {
    const marks = [mark('load-start', 0, 'main', 'esm'), mark('model-ready', 2, 'main', 'esm'), mark('first-batch', 2), mark('inference-end', 5), mark('load-start', 5, 'main', 'esm'), mark('model-ready', 7, 'main', 'esm'), mark('first-batch', 7), mark('inference-end', 10)]
    expect(split(stagePhases({ stage: 'PROTEIN_FEATURES', startMs: at(0), endMs: at(10), marks, busyTimesMs: [], intervalMs: null }))).toEqual([
      ['model-load', 4, 'logged'],
      ['inference', 6, 'logged'],
    ])
  })

  it('assumes inference starts at model-ready when neither a line nor a sample marks it, and says so', () => {
    const marks = [mark('load-start', 0, 'main', 'esm'), mark('model-ready', 4, 'main', 'esm'), mark('inference-end', 9)]
    const phases = stagePhases({ stage: 'PROTEIN_FEATURES', startMs: at(0), endMs: at(10), marks, busyTimesMs: [], intervalMs: null })
    expect(split(phases)).toEqual([
      ['model-load', 4, 'logged'],
      ['inference', 5, 'derived'],
      ['teardown', 1, 'logged'],
    ])
  })

  it('gives no phases when nothing marks the stage', () => {
    expect(stagePhases({ stage: 'PROTEIN_FEATURES', startMs: at(0), endMs: at(10), marks: [], busyTimesMs: [], intervalMs: 500 })).toEqual([])
  })
})

describe('logClockOffsetMs', () => {
  it('rounds the local-time/UTC difference to whole quarter hours', () => {
    expect(logClockOffsetMs([{ logMs: at(0) - 3_600_000, stateMs: at(0.7) }])).toBe(3_600_000)
    expect(logClockOffsetMs([{ logMs: at(1), stateMs: at(0.3) }])).toBe(0)
    expect(logClockOffsetMs([])).toBe(0)
  })
})
