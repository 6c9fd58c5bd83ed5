import { describe, expect, it } from 'vitest'
import { applyEnvOverrides, ENV_OVERRIDES, EnvValueError } from './env-overrides.ts'

describe('environment overrides derived from the schema', () => {
  it('binds each variable to the option fields that declare it', () => {
    const paths = (variable: string) => ENV_OVERRIDES.filter((b) => b.variable === variable).map((b) => b.path.join('.'))
    expect(paths('VIRNUCPRO_MODEL_SIZE')).toEqual(['target.modelSize', 'target.modelType'])
    expect(paths('BENCH_REPEATS')).toEqual(['repeats'])
    expect(paths('VALIDATE_FRESH_VANILLA')).toEqual(['freshVanilla'])
    expect(new Set(ENV_OVERRIDES.map((b) => b.variable)).size).toBe(21)
  })

  it('ignores a variable of another target kind, and switching kinds drops the old kind’s fields', () => {
    expect(applyEnvOverrides({ target: { kind: 'reference', seed: 1 } }, { VIRNUCPRO_REPO: '/opt/v' }).options.target).toEqual({ kind: 'reference', seed: 1 })
    const switched = applyEnvOverrides({ target: { kind: 'reference', seed: 1 } }, { VIRNUCPRO_TARGET: 'virnucpro', VIRNUCPRO_REPO: '/opt/v' })
    expect(switched.options.target).toEqual({ kind: 'virnucpro', repoDir: '/opt/v' })
    expect(switched.sources).toEqual(new Map([['target.kind', 'VIRNUCPRO_TARGET'], ['target.repoDir', 'VIRNUCPRO_REPO']]))
  })

  it('lets a single-kind variable settle an unset kind before a variable every kind has', () => {
    expect(applyEnvOverrides({}, { VIRNUCPRO_MODEL_SIZE: '300', VIRNUCPRO_REPO: '/opt/v' }).options.target).toEqual({ kind: 'virnucpro', repoDir: '/opt/v', modelType: '300' })
  })

  it('names the variable and its declared form for a value of the wrong form', () => {
    expect(() => applyEnvOverrides({}, { BENCH_STRICT: 'maybe' })).toThrow(new EnvValueError('BENCH_STRICT', 'maybe', '1 | 0 | true | false'))
    expect(() => applyEnvOverrides({}, { VALIDATE_FRESH_VANILLA: 'sure' })).toThrow(/VALIDATE_FRESH_VANILLA="sure": expected 1 \| 0/)
  })
})
