import { describe, expect, it } from 'vitest'
import { resolveConfig } from './resolve-config.ts'

describe('launcher option', () => {
  it('defaults to running in place', () => {
    expect(resolveConfig({}, {}).launcher).toEqual({ kind: 'local' })
  })

  it('defaults a Slurm launcher to exclusive nodes, one run at a time', () => {
    expect(resolveConfig({ launcher: { kind: 'slurm', partition: 'gpu' } }, {}).launcher).toEqual({ kind: 'slurm', partition: 'gpu', exclusive: true, extraArgs: [], concurrent: false })
  })

  it('takes the launcher and its fields from the environment', () => {
    const env = { BENCH_LAUNCHER: 'slurm', BENCH_SLURM_PARTITION: 'h200', BENCH_SLURM_TIME_LIMIT: '12:00:00', BENCH_SLURM_EXCLUSIVE: '0', BENCH_SLURM_EXTRA_ARGS: '--constraint=h200 --mem=0', BENCH_SLURM_CONCURRENT: '1', BENCH_SLURM_GPUS_PER_NODE: '8' }
    expect(resolveConfig({}, env).launcher).toEqual({ kind: 'slurm', partition: 'h200', timeLimit: '12:00:00', exclusive: false, extraArgs: ['--constraint=h200', '--mem=0'], concurrent: true, gpusPerNode: 8 })
  })

  it('lets a BENCH_SLURM_* variable imply the Slurm launcher, but not override an explicit local one', () => {
    expect(resolveConfig({}, { BENCH_SLURM_PARTITION: 'gpu' }).launcher.kind).toBe('slurm')
    expect(resolveConfig({}, { BENCH_LAUNCHER: 'local', BENCH_SLURM_PARTITION: 'gpu' }).launcher).toEqual({ kind: 'local' })
  })

  it('names the variable and the form of a bad value', () => {
    expect(() => resolveConfig({}, { BENCH_LAUNCHER: 'pbs' })).toThrow(/BENCH_LAUNCHER="pbs": expected local \| slurm/)
    expect(() => resolveConfig({}, { BENCH_SLURM_TIME_LIMIT: 'soon' })).toThrow(/launcher\.timeLimit \/ env BENCH_SLURM_TIME_LIMIT/)
    expect(() => resolveConfig({ launcher: { kind: 'slurm', nodes: 2 } }, {})).toThrow(/unknown option\(s\) nodes/)
  })
})
