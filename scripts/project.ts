/**
 * Projects a sample's wall time per GPU count from measured runs, through the per-stage cost model
 * (plugin/analysis/cost-model.ts), with an interval and a verdict against the < 10 h on 4 GPUs target.
 *   npx tsx scripts/project.ts --from REPORT.json|RUN_DIR [--from …] --sample MANIFEST.json|FASTA|FASTQ[.gz]
 *     [--gpus 1,2,4,8] [--json]
 */
import { parseArgs } from 'node:util'
import { runScript, UsageError } from './cli-support.ts'
import { calibrationRuns, projectSample, workFromManifest, type ManifestLike } from '../plugin/analysis/projection.ts'
import { runChunkLength, sampleWorkFromProfile, targetModel, type SampleWork } from '../plugin/analysis/sample-work.ts'
import { measuredWorkLookup } from '../plugin/data/measured-work.ts'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describeProfile, recoverSampleProfile } from '../plugin/data/sample-profile.ts'
import { DEFAULT_THRESHOLDS } from '../plugin/model/thresholds.ts'
import { projectedTime, verdictText } from '../plugin/report/format-projection.ts'
import { loadManifestLike } from '../plugin/report/load-manifest.ts'
import { loadRuns } from '../plugin/report/load-runs.ts'

const USAGE = `usage: npx tsx scripts/project.ts --from REPORT.json|RUN_DIR [--from …] --sample MANIFEST.json|FASTA|FASTQ[.gz]
         [--gpus 1,2,4,8] [--json] [--cache-dir DIR]
  --from       a harness report (reports/latest-bench.json) or a run folder (.runs/<run>/ with result.json); repeatable
  --sample     the sample to project: a manifest (describe-sample), the sequence file itself, or a name the harness
               regenerates (synth-<preset>-<profile>-s<seed>, lambda-reads-<n>)
  --gpus       GPU counts to project for (default 1,2,4,8)
  --json       print { "projections": [{ "gpus", "seconds", "low", "high", "basis", … }], "notProjected": […] }
  --cache-dir  where measured samples that are not on disk are regenerated (default .runs/samples)`

interface Command {
  from: string[]
  sample: string
  gpus: number[]
  json: boolean
  cacheDir: string
}

function parseCommandLine(argv: string[]): Command {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      from: { type: 'string', multiple: true },
      sample: { type: 'string' },
      gpus: { type: 'string', default: '1,2,4,8' },
      json: { type: 'boolean', default: false },
      'cache-dir': { type: 'string', default: '.runs/samples' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`)
  if (values.from === undefined || values.from.length === 0) throw new UsageError('--from is required (a report or a run folder)')
  if (values.sample === undefined) throw new UsageError('--sample is required (a manifest, FASTA or FASTQ)')
  const gpus = values.gpus.split(',').map((text) => {
    if (!/^\d+$/.test(text.trim())) throw new UsageError(`--gpus must be comma-separated counts, got '${values.gpus}'`)
    return Number(text)
  })
  return { from: values.from, sample: values.sample, gpus, json: values.json, cacheDir: values['cache-dir'] }
}

runScript('project', USAGE, parseCommandLine, async (command) => {
  const all = (await Promise.all(command.from.map(loadRuns))).flat().filter((r) => r.outcome === 'succeeded')
  const first = all[0]
  if (first === undefined) throw new Error(`no successful run in ${command.from.join(', ')}`)
  // One target and mode per model: a real-tool run and a reference run do not share coefficients.
  const runs = all.filter((r) => r.target.kind === first.target.kind && r.mode === first.mode)
  const dropped = all.length - runs.length
  const target = targetModel(first)
  const workFor = await measuredWorkLookup(runs, command.cacheDir)
  const calibration = calibrationRuns(runs, workFor)
  let sample: SampleWork
  let sequenceCount: number
  if (command.sample.endsWith('.json')) {
    const manifest: ManifestLike = await loadManifestLike(command.sample)
    const framesPerInput = first.counts.orfFrames !== null && first.counts.inputRecords ? first.counts.orfFrames / first.counts.inputRecords : null
    sample = workFromManifest(manifest, target, framesPerInput)
    sequenceCount = manifest.sequenceCount
  } else {
    // Not a file: a sample name the harness regenerates deterministically (synth-…-s<seed>, lambda-reads-<n>).
    const profile = existsSync(command.sample)
      ? await describeProfile(command.sample, runChunkLength(first))
      : await recoverSampleProfile({ name: command.sample, path: '' }, runChunkLength(first), resolve(command.cacheDir))
    if (profile === null) throw new UsageError(`--sample ${command.sample}: no such file, and not a sample name that can be regenerated`)
    const name = command.sample.split('/').pop() ?? command.sample
    sample = sampleWorkFromProfile(name, profile.inputRecords, profile.bases, profile.work, target)
    sequenceCount = profile.inputRecords
  }
  const measuredAssumptions = [...new Set(runs.flatMap((r) => workFor(r).assumptions))]
  const { projections, notProjected } = projectSample({
    caseId: 'project',
    calibration,
    target,
    sample,
    sequenceCount,
    gpus: command.gpus,
    thresholds: DEFAULT_THRESHOLDS.realSampleHours,
    assumptions: [...measuredAssumptions, ...(dropped > 0 ? [`${dropped} run(s) of another target or mode left out`] : [])],
  })
  if (command.json) {
    const rows = projections.map((p) => ({ gpus: p.gpus, seconds: p.seconds, low: p.low, high: p.high, basis: p.basis, verdict: p.verdict, stages: p.stages, assumptions: p.assumptions }))
    process.stdout.write(`${JSON.stringify({ projections: rows, notProjected, calibration: projections[0]?.calibration ?? null, uncertainty: projections[0]?.uncertainty ?? null }, null, 2)}\n`)
    return
  }
  console.log(`${sample.name}: ${sequenceCount} sequences, ${sample.frames} frames (${target.description})`)
  console.log(`calibrated on ${calibration.length} measured sample/GPU-count point(s): ${[...new Set(calibration.map((c) => `${c.sample}@${c.gpus}`))].join(', ')}`)
  for (const p of projections) {
    console.log(`  ${String(p.gpus).padStart(2)} GPU(s): ${projectedTime(p.seconds, p.low, p.high)}  ${p.verdict === null ? '' : verdictText(p.verdict)}  [${p.basis}]`)
  }
  for (const n of notProjected) console.log(`  ${String(n.gpus).padStart(2)} GPU(s): not projected: ${n.reason}`)
  const assumptions = projections[0]?.assumptions ?? []
  if (assumptions.length > 0) console.log(`assumptions:\n${assumptions.map((a) => `  - ${a}`).join('\n')}`)
})
