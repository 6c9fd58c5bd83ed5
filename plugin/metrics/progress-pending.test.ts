import { describe, expect, it } from 'vitest'
import { formatProgress, ProgressDisplay } from './progress-display.ts'

describe('progress while a cluster job is queued', () => {
  it('says the run is pending in the queue, with the reason, time queued and job id', () => {
    expect(formatProgress('lambda optimised 4 GPU', { stage: null, elapsedMs: 75_000, gpuUtilPct: null, gpuMemGiB: null, pending: { reason: 'Resources', jobId: '812' } })).toBe('[lambda optimised 4 GPU] pending in queue (Resources) · 01:15 · job 812')
  })

  it('prints a plain line when the job leaves the queue, as for a stage transition', () => {
    const lines: string[] = []
    const d = new ProgressDisplay('x', 'plain', (t) => lines.push(t), () => 0)
    d.update({ stage: null, elapsedMs: 0, gpuUtilPct: null, gpuMemGiB: null, pending: { reason: 'Priority', jobId: '9' } })
    d.update({ stage: null, elapsedMs: 1000, gpuUtilPct: null, gpuMemGiB: null, pending: { reason: 'Priority', jobId: '9' } })
    d.update({ stage: null, elapsedMs: 0, gpuUtilPct: null, gpuMemGiB: null, pending: null })
    expect(lines).toEqual(['[x] pending in queue (Priority) · 00:00 · job 9\n', '[x] starting · 00:00\n'])
  })
})
