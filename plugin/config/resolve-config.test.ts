import { describe, expect, it } from 'vitest'
import { DEFAULT_THRESHOLDS } from '../model/thresholds.ts'
import { ConfigError, resolveConfig } from './index.ts'

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (e) {
    if (e instanceof ConfigError) return e
    throw e
  }
  throw new Error('expected a ConfigError')
}

describe('resolveConfig', () => {
  it('works with no configuration at all', () => {
    const config = resolveConfig(undefined, {})
    expect(config.target).toEqual({ kind: 'reference', modelSize: 'auto', seed: 42, device: 'auto', extraArgs: [] })
    expect(config).toMatchObject({ gpus: 'auto', sampleIntervalMs: 500, runsDir: '.runs', reportsDir: 'reports', timeoutSeconds: 21600, strict: false, progress: 'auto', repeats: 1, retention: { keepRuns: 10, keepFailedRuns: 20, maxMiB: 4096, keepSessions: 20 } })
    // No grace of its own: each target brings its own (plugin/pipeline/*-target.ts).
    expect(config.killGraceSeconds).toBeUndefined()
    expect(config.thresholds).toEqual(DEFAULT_THRESHOLDS)
  })

  it('merges a partial threshold override over the defaults', () => {
    const config = resolveConfig({ thresholds: { speedup: { '2': { min: 1.5 } }, embeddingUtilisationPercent: 70 } }, {})
    expect(config.thresholds.speedup['2']).toEqual({ target: 1.8, min: 1.5, max: 2.0 })
    expect(config.thresholds.speedup['4']).toEqual(DEFAULT_THRESHOLDS.speedup['4'])
    expect(config.thresholds.embeddingUtilisationPercent).toBe(70)
    expect(config.thresholds.realSampleHours).toEqual(DEFAULT_THRESHOLDS.realSampleHours)
  })

  it('takes a virnucpro target with defaults', () => {
    const config = resolveConfig({ target: { kind: 'virnucpro', repoDir: '/opt/virnucpro' } }, {})
    expect(config.target).toEqual({ kind: 'virnucpro', repoDir: '/opt/virnucpro', modelType: '500', extraArgs: [] })
  })

  it('applies environment overrides', () => {
    const config = resolveConfig(
      { sampleIntervalMs: 1000 },
      { VIRNUCPRO_TARGET: 'virnucpro', VIRNUCPRO_REPO: '/opt/v', VIRNUCPRO_MODEL_SIZE: '300', BENCH_GPUS: '0,1,2,3', BENCH_SAMPLE_INTERVAL_MS: '200', BENCH_TIMEOUT_S: '60', BENCH_STRICT: '1', BENCH_REPEATS: '3', BENCH_PROGRESS: 'plain', VIRNUCPRO_PYTHON: '/usr/bin/python3' },
    )
    expect(config.target).toMatchObject({ kind: 'virnucpro', repoDir: '/opt/v', modelType: '300' })
    expect(config).toMatchObject({ gpus: [0, 1, 2, 3], sampleIntervalMs: 200, timeoutSeconds: 60, strict: true, repeats: 3, progress: 'plain', python: '/usr/bin/python3' })
  })

  it('sets the reference model size from the environment', () => {
    expect(resolveConfig({}, { VIRNUCPRO_MODEL_SIZE: 'tiny' }).target).toMatchObject({ kind: 'reference', modelSize: 'tiny' })
  })

  it('appends extra pipeline arguments from the environment to either target kind', () => {
    expect(resolveConfig({}, { VIRNUCPRO_EXTRA_ARGS: ' --preload  off ' }).target).toMatchObject({ kind: 'reference', extraArgs: ['--preload', 'off'] })
    const real = resolveConfig({}, { VIRNUCPRO_REPO: '/opt/v', VIRNUCPRO_EXTRA_ARGS: '--batch-size 8' }).target
    expect(real).toMatchObject({ kind: 'virnucpro', extraArgs: ['--batch-size', '8'] })
  })

  it('names the option path and expected form for a bad option', () => {
    const e = errorOf(() => resolveConfig({ sampleIntervalMs: 'fast' }, {}))
    expect(e.message).toContain('virnucpro.sampleIntervalMs')
    expect(e.message).toMatch(/expected number/)
    expect(e.fields).toEqual(['virnucpro.sampleIntervalMs'])
  })

  it('names the option and the variable for a bad environment value', () => {
    const e = errorOf(() => resolveConfig({}, { BENCH_SAMPLE_INTERVAL_MS: '10' }))
    expect(e.message).toContain('virnucpro.sampleIntervalMs / env BENCH_SAMPLE_INTERVAL_MS')
    expect(e.message).toContain('at least 50 ms')
    const text = errorOf(() => resolveConfig({}, { BENCH_SAMPLE_INTERVAL_MS: 'abc' }))
    expect(text.message).toContain('env BENCH_SAMPLE_INTERVAL_MS="abc": expected an integer number of milliseconds')
    expect(errorOf(() => resolveConfig({}, { BENCH_GPUS: '0,x' })).message).toContain('BENCH_GPUS')
    expect(errorOf(() => resolveConfig({}, { VIRNUCPRO_TARGET: 'other' })).message).toContain('VIRNUCPRO_TARGET')
  })

  it('rejects nested mistakes with their full path', () => {
    expect(errorOf(() => resolveConfig({ target: { kind: 'virnucpro' } }, {})).message).toContain('virnucpro.target.repoDir')
    expect(errorOf(() => resolveConfig({ target: { kind: 'reference', device: 'tpu' } }, {})).message).toContain('virnucpro.target.device')
    expect(errorOf(() => resolveConfig({ target: { kind: 'docker' } }, {})).message).toContain('virnucpro.target')
    expect(errorOf(() => resolveConfig({ gpus: [0, -1] }, {})).message).toContain('virnucpro.gpus.1')
    expect(errorOf(() => resolveConfig({ sampleInterval: 5 }, {})).message).toContain('unknown option(s) sampleInterval')
    expect(errorOf(() => resolveConfig({ thresholds: { speedup: { '16': { min: 10 } } } }, {})).message).toContain('thresholds.speedup.16')
    expect(errorOf(() => resolveConfig('fast', {})).message).toContain('options must be an object')
  })
})
