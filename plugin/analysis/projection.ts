/**
 * Wall-time projection of a sample from measured runs, through the per-stage cost model (cost-model.ts) and the work
 * the sample gives each stage (sample-work.ts). Every projection carries its interval, per-stage bases, the samples it
 * was calibrated on and what it assumed. Pure: no I/O.
 */
import { z } from 'zod'
import type { RunResult, StageTiming } from '../model/run-result.ts'
import type { Thresholds } from '../model/thresholds.ts'
import type { WorkProfile } from '../model/work-profile.ts'
import { amdahlSpeedup, fitAmdahl } from './amdahl.ts'
import { COST_TERMS, fitCostModel, fitErrorModel, predictStages, uncertaintyAt, verdict, type CalibrationRun, type CostModel, type StageTime } from './cost-model.ts'
import { tokensPerSequence } from './flops.ts'
import {
  EMBEDDING_COST_STAGES,
  runChunkLength,
  sampleWorkFromProfile,
  stageWork,
  targetModel,
  uniformTokens,
  type CostStage,
  type EmbeddingStage,
  type SampleWork,
  type StageWork,
  type TargetModel,
} from './sample-work.ts'
import type { Projection, ScalingAnalysis } from './schema.ts'
import { measurableRuns } from './scaling.ts'
import { median } from './statistics.ts'

/**
 * What a projection reads from a sample manifest (the full schema is plugin/data/sample-manifest.ts; structural so
 * that older manifests with counts only, or none, fit).
 */
export interface ManifestLike {
  name: string
  sequenceCount: number
  length: { mean: number }
  baseline?: { wallSeconds: number } | null | undefined
  bases?: number | undefined
  chunkLength?: number | undefined
  chunks?: number | undefined
  orfFrames?: number | undefined
  work?: WorkProfile | undefined
}

const HOUR = 3600

// ------------------------------------------------------------------------------------------------ calibration runs

/** Stage phases (`[{name, seconds, basis}]`) where the run result has them: a `load` phase is a fixed cost. */
const PhasesSchema = z.array(z.object({ name: z.string(), seconds: z.number() }))

function loadSeconds(timing: StageTiming): number {
  const phases = PhasesSchema.safeParse((timing as Record<string, unknown>)['phases'])
  if (phases.success && phases.data.length > 0) return phases.data.filter((p) => /load/i.test(p.name)).reduce((s, p) => s + p.seconds, 0)
  return timing.modelLoadSeconds ?? 0
}

function stageTimes(run: RunResult): StageTime[] {
  const completed = run.stages.filter((s) => s.status === 'completed' && s.durationSeconds !== null)
  const times: StageTime[] = completed.map((s) => ({ stage: s.stage, seconds: s.durationSeconds as number, loadSeconds: loadSeconds(s) }))
  const inside = times.reduce((s, t) => s + t.seconds, 0)
  times.push({ stage: 'START_UP', seconds: Math.max(0, run.wallSeconds - inside), loadSeconds: 0 })
  return times
}

/** One calibration point per (sample, GPU count): medians over its repeats. Only succeeded runs count. */
export function calibrationRuns(runs: readonly RunResult[], workFor: (run: RunResult) => SampleWork): CalibrationRun[] {
  const groups = new Map<string, RunResult[]>()
  for (const run of measurableRuns(runs)) {
    const key = `${run.sample.name}\u0000${run.gpuCount}`
    groups.set(key, [...(groups.get(key) ?? []), run])
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!
    const times = group.map(stageTimes)
    const stages = [...new Set(times.flatMap((t) => t.map((s) => s.stage)))].map((stage): StageTime => {
      const rows = times.map((t) => t.find((s) => s.stage === stage)).filter((s): s is StageTime => s !== undefined)
      return { stage, seconds: median(rows.map((r) => r.seconds)), loadSeconds: median(rows.map((r) => r.loadSeconds)) }
    })
    const walls = group.map((r) => r.wallSeconds)
    return {
      sample: first.sample.name,
      gpus: first.gpuCount,
      work: stageWork(workFor(first), targetModel(first)),
      wallSeconds: median(walls),
      repeats: { n: group.length, min: group.length > 1 ? Math.min(...walls) : null, max: group.length > 1 ? Math.max(...walls) : null },
      stages,
    }
  })
}

/**
 * A measured sample's work when its sequences are not at hand: counts from the run, and one token length per
 * embedding stage from the run's token totals (Σℓ exact; Σℓ² and padding as if every frame had the mean length).
 */
export function workFromRunTotals(run: RunResult): SampleWork {
  const stage = (name: EmbeddingStage): StageTiming | undefined => run.stages.find((s) => s.stage === name)
  const frames = run.counts.orfFrames ?? stage('PROTEIN_FEATURES')?.recordsIn ?? 0
  const chunks = run.counts.chunks ?? run.counts.inputRecords ?? 0
  const chunkLength = runChunkLength(run)
  const target = targetModel(run)
  const assumptions: string[] = []
  const tokens = {} as SampleWork['tokens']
  for (const name of EMBEDDING_COST_STAGES) {
    const total = stage(name)?.tokens ?? null
    const perFrame = total !== null && frames > 0 ? total / frames : tokensPerSequence(target[name].tokenizer, name === 'PROTEIN_FEATURES' ? Math.floor(chunkLength / 3) : chunkLength)
    tokens[name] = uniformTokens(frames, perFrame)
    assumptions.push(
      total !== null
        ? `${run.sample.name}: ${name} frames taken as all ${perFrame.toFixed(1)} tokens (the run's token total / ${frames} frames; length distribution not at hand)`
        : `${run.sample.name}: ${name} frames taken as full chunks of ${chunkLength} bp (no token count in the run)`,
    )
  }
  assumptions.push(`${run.sample.name}: bases taken as ${chunks} chunks × ${chunkLength} bp`)
  return { name: run.sample.name, inputRecords: run.counts.inputRecords ?? chunks, bases: chunks * chunkLength, chunks, frames, tokens, assumptions }
}

/**
 * The projected sample's work from its manifest: exact with a `work` profile (describe-sample); otherwise from its
 * counts, with every frame taken at the mean read length clipped to the chunk length, and said so.
 */
export function workFromManifest(manifest: ManifestLike, target: TargetModel, framesPerInput: number | null): SampleWork {
  const bases = manifest.bases ?? Math.round(manifest.sequenceCount * manifest.length.mean)
  if (manifest.work !== undefined) return sampleWorkFromProfile(manifest.name, manifest.sequenceCount, bases, manifest.work, target)
  const assumptions: string[] = []
  const chunkLength = manifest.chunkLength ?? 500
  let frames = manifest.orfFrames
  if (frames === undefined) {
    frames = Math.round(manifest.sequenceCount * (framesPerInput ?? 1))
    assumptions.push(`${manifest.name}: no frame count in the manifest: ${frames} frames assumed (${(framesPerInput ?? 1).toFixed(3)} per input sequence, as measured)`)
  }
  const chunkBases = Math.min(Math.round(manifest.length.mean), chunkLength)
  const residues = Math.floor(chunkBases / 3)
  const nucleotides = Math.min(3 * residues + 1, chunkBases)
  assumptions.push(
    `${manifest.name}: no length distribution in the manifest (describe-sample writes one): all ${frames} frames assumed ${residues} aa proteins and ${nucleotides} nt frames (mean length ${manifest.length.mean} bp clipped to the ${chunkLength} bp chunk)`,
  )
  return {
    name: manifest.name,
    inputRecords: manifest.sequenceCount,
    bases,
    chunks: manifest.chunks ?? manifest.sequenceCount,
    frames,
    tokens: {
      NUCLEOTIDE_FEATURES: uniformTokens(frames, tokensPerSequence(target.NUCLEOTIDE_FEATURES.tokenizer, nucleotides)),
      PROTEIN_FEATURES: uniformTokens(frames, tokensPerSequence(target.PROTEIN_FEATURES.tokenizer, residues)),
    },
    assumptions,
  }
}

// ------------------------------------------------------------------------------------------------ GPU scaling

function variableSeconds(run: CalibrationRun, stage: CostStage): number | null {
  const time = run.stages.find((s) => s.stage === stage)
  return time === undefined ? null : Math.max(0, time.seconds - time.loadSeconds)
}

/** Factor on a data-parallel stage's variable time going from `from` GPUs to `to`, with how it was obtained. */
export function parallelFactor(stage: CostStage, from: number, to: number, runs: readonly CalibrationRun[]): { factor: number; basis: string } {
  if (from === to) return { factor: 1, basis: `as calibrated at ${from} GPU(s)` }
  const bySample = new Map<string, Map<number, number>>()
  for (const run of runs) {
    const seconds = variableSeconds(run, stage)
    if (seconds === null || seconds <= 0) continue
    bySample.set(run.sample, (bySample.get(run.sample) ?? new Map<number, number>()).set(run.gpus, seconds))
  }
  const direct = [...bySample.values()].filter((m) => m.has(from) && m.has(to)).map((m) => m.get(to)! / m.get(from)!)
  if (direct.length > 0) {
    const factor = median(direct)
    return { factor, basis: `measured at ${to} GPUs: ${((from / to) / factor * 100).toFixed(0)} % per-GPU efficiency vs ${from} (${direct.length} sample(s))` }
  }
  const points = [...bySample.values()].filter((m) => m.has(1) && m.size > 1)
  if (points.length > 0) {
    const speedups = points.flatMap((m) => [...m.entries()].map(([gpus, s]) => ({ gpus, speedup: m.get(1)! / s })))
    const fit = fitAmdahl(speedups, 1, [])
    if (fit.fit !== null) {
      const f = fit.fit.serialFraction
      return { factor: amdahlSpeedup(f, from) / amdahlSpeedup(f, to), basis: `Amdahl fit of the measured counts (f=${f.toFixed(3)}): ${to} GPUs not measured` }
    }
  }
  return { factor: from / to, basis: `assumed linear from ${from} to ${to} GPUs (no multi-GPU measurement of this stage)` }
}

// ------------------------------------------------------------------------------------------------ projection

export interface ProjectInput {
  caseId: string
  /** Runs at every measured GPU count; the cost model is fitted at the count with the most distinct samples. */
  calibration: readonly CalibrationRun[]
  target: TargetModel
  sample: SampleWork
  /** The count a projection is reported under (input sequences). */
  sequenceCount: number
  gpus: readonly number[]
  thresholds: Thresholds['realSampleHours'] | null
  /** A measured run of this very sample at a GPU count, to put beside the projection. */
  measured?: (gpus: number) => { wallSeconds: number; source: string } | null
  assumptions?: readonly string[]
}

export interface ProjectionOutcome {
  projections: Projection[]
  /** Why a GPU count (notably the target's) could not be projected. */
  notProjected: { gpus: number; reason: string }[]
}

/** Work that grows with the sample (fixed costs and model loads left out), in the model's seconds. */
function workSeconds(model: CostModel, work: Record<CostStage, StageWork>): number {
  const growing = COST_TERMS.filter((term) => term !== 'fixed')
  return model.stages.reduce((sum, fit) => sum + growing.reduce((s, term) => s + fit.coefficients[term] * work[fit.stage][term], 0), 0)
}

/**
 * Said when the projected sample is more than twice the largest calibration sample: the proportional part of the
 * interval was measured on samples up to that size only.
 */
function extrapolation(model: CostModel, work: Record<CostStage, StageWork>, runs: readonly CalibrationRun[]): string | null {
  const largest = runs.map((r) => ({ sample: r.sample, seconds: workSeconds(model, r.work) })).sort((a, b) => b.seconds - a.seconds)[0]
  if (largest === undefined || largest.seconds <= 0) return null
  const factor = workSeconds(model, work) / largest.seconds
  return factor > 2
    ? `extrapolated ${factor.toFixed(1)}× beyond the largest calibration sample (${largest.sample}, by the model's work-dependent seconds): the interval's proportional part was measured on samples up to that size`
    : null
}

/** The GPU count with the most distinct calibration samples (ties: 1 GPU, then the fewest). */
export function calibrationGpus(runs: readonly CalibrationRun[]): number | null {
  const counts = [...new Set(runs.map((r) => r.gpus))]
  if (counts.length === 0) return null
  const distinct = (n: number): number => new Set(runs.filter((r) => r.gpus === n).map((r) => r.sample)).size
  return counts.sort((a, b) => distinct(b) - distinct(a) || Number(b === 1) - Number(a === 1) || a - b)[0]!
}

function hoursText(seconds: number): string {
  return seconds >= HOUR ? `${(seconds / HOUR).toFixed(2)} h` : `${seconds.toFixed(1)} s`
}

export function projectSample(input: ProjectInput): ProjectionOutcome {
  const projections: Projection[] = []
  const notProjected: ProjectionOutcome['notProjected'] = []
  const from = calibrationGpus(input.calibration)
  if (from === null) return { projections, notProjected: input.gpus.map((gpus) => ({ gpus, reason: 'no successful run to calibrate on' })) }
  const runs = input.calibration.filter((r) => r.gpus === from)
  const model = fitCostModel(runs)
  const errors = fitErrorModel(runs)
  const work = stageWork(input.sample, input.target)
  const base = predictStages(model, work)
  const reach = extrapolation(model, work, runs)
  const fits = new Map(model.stages.map((f) => [f.stage, f]))
  for (const gpus of input.gpus) {
    if ((from === 0) !== (gpus === 0)) {
      notProjected.push({ gpus, reason: from === 0 ? 'calibrated on CPU runs only: GPU counts cannot be projected from them' : 'calibrated on GPU runs: a CPU run cannot be projected from them' })
      continue
    }
    const stages = base.map((p) => {
      const fit = fits.get(p.stage)!
      const terms = fit.terms.map((t) => `${t} ${fit.coefficients[t].toPrecision(3)}`).join(', ')
      const fitted = `cost model (${terms}${p.loadSeconds > 0 ? `; load ${p.loadSeconds.toFixed(2)} s measured` : ''}) fitted to ${fit.samples} sample(s) at ${from} GPU(s)`
      if (!(EMBEDDING_COST_STAGES as readonly string[]).includes(p.stage) || gpus === from) return { stage: p.stage, seconds: p.seconds, basis: fitted }
      const scale = parallelFactor(p.stage, from, gpus, input.calibration)
      return { stage: p.stage, seconds: p.loadSeconds + (p.seconds - p.loadSeconds) * scale.factor, basis: `${fitted}; ${scale.basis}` }
    })
    const seconds = stages.reduce((s, p) => s + p.seconds, 0)
    const uncertainty = uncertaintyAt(errors, seconds)
    const low = seconds * Math.max(0, 1 - uncertainty.halfWidth)
    const high = seconds * (1 + uncertainty.halfWidth)
    const atTarget = input.thresholds !== null && gpus === input.thresholds.gpus
    const decided = atTarget ? verdict(low, high, input.thresholds!.target * (1 + input.thresholds!.tolerance) * HOUR) : null
    const measured = input.measured?.(gpus) ?? null
    projections.push({
      caseId: input.caseId,
      sample: input.sample.name,
      sequenceCount: input.sequenceCount,
      gpus,
      seconds,
      hours: seconds / HOUR,
      low,
      high,
      basis:
        gpus === from
          ? `projected (cost model fitted to ${model.samples.length} sample(s) at ${from} GPU(s))`
          : `projected (cost model at ${from} GPU(s); data-parallel stages scaled to ${gpus}, serial stages as they are)`,
      assumptions: [
        `sample work: ${input.sample.frames} frames, ${input.sample.inputRecords} input sequences, ${input.target.description}`,
        ...input.sample.assumptions,
        ...(input.assumptions ?? []),
        ...(reach === null ? [] : [reach]),
        `interval ${hoursText(low)}–${hoursText(high)}: ${uncertainty.basis}`,
      ],
      stages,
      uncertainty,
      calibration: { gpus: from, samples: model.samples, target: input.target.description },
      target: input.thresholds === null ? null : { hours: input.thresholds.target, tolerance: input.thresholds.tolerance, gpus: input.thresholds.gpus },
      verdict: decided,
      withinTarget: decided === null ? null : decided === 'within target',
      measured: measured === null ? null : { ...measured, hours: measured.wallSeconds / HOUR },
    })
  }
  return { projections, notProjected }
}

// ------------------------------------------------------------------------------------------------ a case's real sample

export interface ProjectionContext {
  caseId: string
  manifest: ManifestLike
  /** The case's runs (all of them; failed ones are ignored). */
  runs: readonly RunResult[]
  /** True when the case ran the manifest's sample itself: its measurement goes beside the projection. */
  measuredIsRealSample: boolean
  target: Thresholds['realSampleHours'] | null
  /** The exact work of a measured sample when its sequences were described; otherwise taken from the run's totals. */
  workFor?: (run: RunResult) => SampleWork | null
}

/** The real sample of a manifest, projected from a case's runs at every measured GPU count and the target's. */
export function projectRealSample(scaling: ScalingAnalysis, context: ProjectionContext): ProjectionOutcome {
  const ok = measurableRuns(context.runs)
  const first = ok[0]
  const counts = [...new Set([...scaling.points.map((p) => p.gpus), ...(context.target === null ? [] : [context.target.gpus])])].sort((a, b) => a - b)
  if (first === undefined) return { projections: [], notProjected: counts.map((gpus) => ({ gpus, reason: 'no successful run' })) }
  const workFor = (run: RunResult): SampleWork => context.workFor?.(run) ?? workFromRunTotals(run)
  const calibration = calibrationRuns(ok, workFor)
  const framesPerInput = first.counts.orfFrames !== null && first.counts.inputRecords ? first.counts.orfFrames / first.counts.inputRecords : null
  const target = targetModel(first)
  const sample = workFromManifest(context.manifest, target, framesPerInput)
  const measuredAssumptions = [...new Set(ok.flatMap((r) => (context.workFor?.(r) ? [] : workFromRunTotals(r).assumptions)))]
  const outcome = projectSample({
    caseId: context.caseId,
    calibration,
    target,
    sample,
    sequenceCount: context.manifest.sequenceCount,
    gpus: counts,
    thresholds: context.target,
    measured: (gpus) => {
      if (!context.measuredIsRealSample) return null
      const point = scaling.points.find((p) => p.gpus === gpus)
      return point === undefined ? null : { wallSeconds: point.wallSeconds.value, source: `measured full run (median of ${point.runs})` }
    },
    assumptions: [
      ...measuredAssumptions,
      ...(context.manifest.baseline ? [`manifest baseline: ${(context.manifest.baseline.wallSeconds / HOUR).toFixed(2)} h`] : []),
    ],
  })
  return outcome
}
