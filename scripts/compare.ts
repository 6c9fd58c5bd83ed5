/**
 * compare CANDIDATE_DIR REFERENCE_DIR [--rtol R] [--atol A] [--json]
 * Compares two pipeline output folders, or one with a stored reference (fixtures/reference/<sample>).
 * Exit codes: 0 pass, 0 with a printed warning for warn, 1 fail, 2 error (unreadable, refused, incomparable, usage).
 */
import { parseArgs } from 'node:util'
import { compareOutputs, formatComparison } from '../plugin/compare/index.ts'

const USAGE = 'usage: compare CANDIDATE_DIR REFERENCE_DIR [--rtol R] [--atol A] [--json]'

function number(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got '${v}'`)
  return n
}

async function main(): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: { rtol: { type: 'string' }, atol: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
    })
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const [candidate, reference] = positionals
  if (candidate === undefined || reference === undefined || positionals.length > 2) {
    process.stderr.write(`expected CANDIDATE_DIR and REFERENCE_DIR\n${USAGE}\n`)
    return 2
  }
  let rtol: number | undefined
  let atol: number | undefined
  try {
    rtol = number('rtol', values.rtol)
    atol = number('atol', values.atol)
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
    return 2
  }
  const outcome = await compareOutputs(candidate, reference, { options: { ...(rtol === undefined ? {} : { rtol }), ...(atol === undefined ? {} : { atol }) } })
  if (outcome.status === 'error') {
    if (values.json === true) process.stdout.write(`${JSON.stringify({ error: outcome.reason, message: outcome.message })}\n`)
    process.stderr.write(`error (${outcome.reason}): ${outcome.message}\n`)
    return 2
  }
  const c = outcome.comparison
  process.stdout.write(values.json === true ? `${JSON.stringify(c)}\n` : `${formatComparison(c)}\n`)
  if (c.verdict === 'warn') process.stderr.write('warning: outputs differ beyond tolerance but within numerical variance (see findings)\n')
  return c.verdict === 'fail' ? 1 : 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exitCode = 2
  },
)
