import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { inspect } from 'node:util'
import { execa } from 'execa'
import { afterAll, describe, expect, it } from 'vitest'
import { checkConfigPaths, pathProblem, requirePath } from './check-paths.ts'
import { ConfigError, resolveConfig } from './resolve-config.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'check-paths-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const REPO = path.resolve(import.meta.dirname, '../..')

function errorOf(run: () => void): ConfigError {
  try {
    run()
  } catch (e) {
    if (e instanceof ConfigError) return e
    throw e
  }
  throw new Error('expected a ConfigError')
}

describe('checkConfigPaths', () => {
  it('accepts the default config (nothing named) and real paths', () => {
    expect(() => checkConfigPaths(resolveConfig(undefined, {}), {})).not.toThrow()
    const env = { VIRNUCPRO_PYTHON: process.execPath, VIRNUCPRO_REPO: dir, PATH: process.env.PATH ?? '' }
    expect(() => checkConfigPaths(resolveConfig(undefined, env), env)).not.toThrow()
  })

  it('names the option and the variable of every bad path in one error', () => {
    const manifest = path.join(dir, 'missing.json')
    const env = { VIRNUCPRO_PYTHON: '/nonexistent/python', VIRNUCPRO_REPO: '/nonexistent/repo', VIRNUCPRO_REAL_SAMPLE_MANIFEST: manifest }
    const error = errorOf(() => checkConfigPaths(resolveConfig(undefined, env), env))
    expect(error.message).toBe(
      [
        'Invalid harness configuration:',
        '  ✖ virnucpro.python / env VIRNUCPRO_PYTHON: /nonexistent/python does not exist',
        '  ✖ virnucpro.target.repoDir / env VIRNUCPRO_REPO: /nonexistent/repo does not exist',
        `  ✖ env VIRNUCPRO_REAL_SAMPLE_MANIFEST: ${manifest} does not exist`,
      ].join('\n'),
    )
    expect(error.fields).toEqual(['virnucpro.python', 'virnucpro.target.repoDir', 'env VIRNUCPRO_REAL_SAMPLE_MANIFEST'])
  })

  it('tells a file from a folder and an executable from a plain file', () => {
    const plain = path.join(dir, 'plain')
    writeFileSync(plain, '')
    chmodSync(plain, 0o644)
    expect(pathProblem(plain, 'executable')).toBe(`${plain} is not executable`)
    expect(pathProblem(plain, 'directory')).toBe(`${plain} is not a directory`)
    expect(pathProblem(dir, 'file')).toBe(`${dir} is not a file`)
    expect(pathProblem('no-such-command-anywhere', 'executable', { PATH: '/usr/bin:/bin' })).toBe('no-such-command-anywhere is not on PATH')
    const config = resolveConfig({ target: { kind: 'virnucpro', repoDir: plain } }, {})
    expect(errorOf(() => checkConfigPaths(config, {})).message).toContain(`✖ virnucpro.target.repoDir: ${plain} is not a directory`)
  })

  it('checks paths that test files name when they are collected', () => {
    expect(errorOf(() => requirePath('reference of "x"', '/nonexistent/ref', 'directory')).message).toBe('Invalid reference of "x": /nonexistent/ref does not exist')
  })

  it('shows a ConfigError as its message only: no stack trace, no fields dump', () => {
    const shown = inspect(new ConfigError('Invalid harness configuration:\n  ✖ virnucpro.gpus: bad', ['virnucpro.gpus']))
    expect(shown).toBe('ConfigError: Invalid harness configuration:\n  ✖ virnucpro.gpus: bad')
  })
})

describe('a bad configuration stops vitest before anything runs', () => {
  it.each([
    ['VIRNUCPRO_PYTHON', '/nonexistent', '✖ virnucpro.python / env VIRNUCPRO_PYTHON: /nonexistent does not exist'],
    ['VIRNUCPRO_REPO', '/nonexistent', '✖ virnucpro.target.repoDir / env VIRNUCPRO_REPO: /nonexistent does not exist'],
    ['BENCH_TIMEOUT_S', 'soon', '✖ env BENCH_TIMEOUT_S="soon": expected a positive number of seconds'],
  ])('%s=%s: one clear block on stderr, exit 1', async (variable, value, line) => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(VITEST|TINYPOOL|VIRNUCPRO_|BENCH_)/.test(k)) env[k] = v
    const result = await execa('node', [path.join(REPO, 'node_modules/vitest/vitest.mjs'), 'run', 'plugin/analysis/amdahl.test.ts'], {
      cwd: REPO,
      env: { ...env, [variable]: value, NO_COLOR: '1', FORCE_COLOR: '0' },
      extendEnv: false,
      reject: false,
      timeout: 90_000,
      stdin: 'ignore',
    })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(`ConfigError: Invalid harness configuration:\n  ${line}`)
    expect(result.stderr).not.toMatch(/^\s+at /m) // no stack trace
    expect(result.stderr).not.toContain('fields')
    expect(result.stdout).not.toContain('amdahl') // nothing ran
  })
})
