/**
 * reanalyse-run RUN_DIR... [--json]
 * Re-reads kept run folders (`.runs/<id>/` or a capture's `runs/<id>/`) with today's log, phase, claim and
 * bottleneck code and prints where each run's time went, without running anything. Exit 2 on a usage error or an
 * unreadable folder.
 */
import { parseArgs } from 'node:util'
import { runBottlenecks } from '../plugin/analysis/bottlenecks.ts'
import { replayRunFolder } from '../plugin/metrics/replay-run.ts'
import { runLines } from '../plugin/report/sections/bottlenecks.ts'

const USAGE = 'usage: reanalyse-run RUN_DIR... [--json]'

async function main(): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`)
    return 2
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  if (parsed.positionals.length === 0) {
    process.stderr.write(`expected at least one RUN_DIR\n${USAGE}\n`)
    return 2
  }
  const out: unknown[] = []
  for (const dir of parsed.positionals) {
    try {
      const { run } = await replayRunFolder(dir)
      const b = runBottlenecks('replayed', run)
      if (parsed.values.json === true) out.push({ run: run.id, stages: run.stages.map((s) => ({ stage: s.stage, seconds: s.durationSeconds, phases: s.phases })), claims: run.claims, findings: run.logFindings, bottlenecks: b })
      else process.stdout.write(`${runLines(b, run).join('\n')}\n`)
    } catch (e) {
      process.stderr.write(`${dir}: ${e instanceof Error ? e.message : String(e)}\n`)
      return 2
    }
  }
  if (parsed.values.json === true) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
  return 0
}

process.exitCode = await main()
