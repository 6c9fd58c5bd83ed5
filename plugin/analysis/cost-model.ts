/**
 * A per-stage cost model fitted to measured runs, and how far to trust it. Pure: no I/O.
 *
 *   stage seconds = model load (measured, a fixed cost) + c_fixed + c_records·records + c_flops·FLOPs + c_batches·batches
 *
 * FLOPs are padded model FLOPs (sample-work.ts): tokens and the attention term ∝ Σℓ² as the target batches them, so the
 * ratio between those two is the model's own (flops.ts), not fitted. Coefficients are non-negative (NNLS), rows weighted
 * by the inverse of their expected noise (TIMING_NOISE: a fixed part plus a share of the time). A term enters the
 * fit only when the data can carry it: with k distinct samples at most k − 1 terms (at least one), in the order of
 * COST_PRIORITY, so that there is always a residual to judge the fit by; with one sample the model is the prior
 * "time ∝ the stage's main unit of work, plus the measured load and start-up".
 */
import { nnls } from './nnls.ts'
import { median } from './statistics.ts'
import type { CostStage, StageWork } from './sample-work.ts'

export const COST_TERMS = ['fixed', 'records', 'flops', 'batches'] as const
export type CostTerm = (typeof COST_TERMS)[number]

const EMBEDDING_PRIORITY: readonly CostTerm[] = ['flops', 'fixed', 'records', 'batches']
// Outside the stages the pipeline only starts (interpreter, imports, model preload) and exits: input is read inside
// CHUNKING. A per-input slope fitted here would be noise, and extrapolating it tenfold would multiply that noise.
const START_UP_PRIORITY: readonly CostTerm[] = ['fixed']
const PLAIN_PRIORITY: readonly CostTerm[] = ['records', 'fixed']

export function costPriority(stage: CostStage): readonly CostTerm[] {
  if (stage === 'NUCLEOTIDE_FEATURES' || stage === 'PROTEIN_FEATURES') return EMBEDDING_PRIORITY
  return stage === 'START_UP' ? START_UP_PRIORITY : PLAIN_PRIORITY
}

export interface StageTime {
  stage: CostStage
  seconds: number
  /** Model load inside the stage (log line or a `load` phase): a fixed cost, not fitted. */
  loadSeconds: number
}

/** One sample measured at one GPU count (medians over its repeats). */
export interface CalibrationRun {
  sample: string
  gpus: number
  work: Record<CostStage, StageWork>
  wallSeconds: number
  repeats: { n: number; min: number | null; max: number | null }
  /** START_UP is the wall time outside the pipeline's stages (interpreter, imports, exit). */
  stages: StageTime[]
}

export interface StageFit {
  stage: CostStage
  terms: CostTerm[]
  coefficients: Record<CostTerm, number>
  loadSeconds: number
  samples: number
}

export interface CostModel {
  gpus: number
  samples: string[]
  stages: StageFit[]
}

function distinctSamples(runs: readonly CalibrationRun[]): string[] {
  return [...new Set(runs.map((r) => r.sample))]
}

function fitStage(stage: CostStage, runs: readonly CalibrationRun[]): StageFit | null {
  const rows = runs.flatMap((run) => {
    const time = run.stages.find((s) => s.stage === stage)
    return time === undefined ? [] : [{ run, time }]
  })
  if (rows.length === 0) return null
  const samples = new Set(rows.map((r) => r.run.sample)).size
  const allowed = costPriority(stage)
    .filter((term) => rows.some((r) => r.run.work[stage][term] > 0))
    .slice(0, Math.max(1, samples - 1))
  const loads = rows.map((r) => Math.min(r.time.loadSeconds, r.time.seconds))
  // Median, not mean: the first run of a session pays a cold file cache (3.1 s of DNABERT-S load against 1.2 s in
  // every later run of the H200 capture), and a mean would charge that to every projection.
  const loadSeconds = median(loads)
  const points: StagePoint[] = rows.map((r, i) => {
    const target = Math.max(0, r.time.seconds - loads[i]!)
    return { sample: r.run.sample, work: r.run.work[stage], target, weight: 1 / timingNoise(target) }
  })
  const terms = selectTerms(allowed, points)
  const coefficients = solve(terms, points)
  return { stage, terms: [...terms], coefficients, loadSeconds, samples }
}

interface StagePoint {
  sample: string
  work: StageWork
  /** Stage seconds less the measured load. */
  target: number
  /** 1 / the timing's expected noise (timingNoise). */
  weight: number
}

/**
 * Expected noise of a stage time, seconds: an absolute part (scheduling, warm-up of the first batches, a lazy import:
 * a few tenths of a second whatever the sample) plus a relative part. Weighting rows by its inverse fits long stages
 * to their relative error and keeps short ones from setting the slope: with 1/seconds weights (pure relative error),
 * a 2.4 s ESM-2 stage of 1,000 short reads that ran 1.5 s longer than the per-FLOP rate of every longer run set the
 * H200 capture's rate 11 % too high, and every long projection with it. The fit is insensitive to the exact figures
 * (0.2–1 s and 2–5 % move that rate by under 3 %).
 */
export const TIMING_NOISE = { absoluteSeconds: 0.3, relative: 0.03 } as const

function timingNoise(seconds: number): number {
  return TIMING_NOISE.absoluteSeconds + TIMING_NOISE.relative * seconds
}

function solve(terms: readonly CostTerm[], points: readonly StagePoint[]): Record<CostTerm, number> {
  const matrix = points.map((p) => terms.map((term) => p.work[term] * p.weight))
  const { x } = nnls(matrix, points.map((p) => p.target * p.weight))
  const coefficients: Record<CostTerm, number> = { fixed: 0, records: 0, flops: 0, batches: 0 }
  terms.forEach((term, j) => (coefficients[term] = x[j]!))
  return coefficients
}

/**
 * How many of the allowed terms (a prefix of the priority order) the stage keeps: by leave-one-sample-out error
 * (noise-weighted, as the fit) of the stage's own seconds, with the one-standard-error rule (Hastie, Tibshirani and
 * Friedman, ESL §7.10): the fewest terms whose mean error is within one standard error of the best prefix's. A term
 * that one sample alone carries (a per-record slope that only the one short-read sample pins) fits that sample and
 * predicts the others badly when it is left out: cross-validation drops it, where "k − 1 terms for k samples" would
 * keep it (issue 15: 23,840 lambda frames × 1.3 ms of such a slope put 30 s of ESM-2 time that was not there). The
 * 1-SE margin is a guard for a handful of samples, where least error alone chases noise: with an extra rate for
 * mixed-length batches offered (no longer), one 2 s stage set it and a left-out sample's ESM-2 stage was projected
 * +56 %. With the terms kept now the four H200 captures' held-out projections move by under 1 point either way.
 */
function selectTerms(allowed: readonly CostTerm[], points: readonly StagePoint[]): readonly CostTerm[] {
  const samples = [...new Set(points.map((p) => p.sample))]
  if (allowed.length <= 1 || samples.length < 3) return allowed
  const scored = allowed.map((_, i) => {
    const terms = allowed.slice(0, i + 1)
    // One squared error per left-out sample (its points summed): the folds the standard error is taken over.
    const folds = samples.map((sample) => {
      const coefficients = solve(terms, points.filter((p) => p.sample !== sample))
      return points.filter((q) => q.sample === sample).reduce((sum, p) => sum + ((terms.reduce((s, t) => s + coefficients[t] * p.work[t], 0) - p.target) * p.weight) ** 2, 0)
    })
    const mean = folds.reduce((s, v) => s + v, 0) / folds.length
    const variance = folds.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, folds.length - 1)
    return { terms, mean, standardError: Math.sqrt(variance / folds.length) }
  })
  const best = scored.reduce((a, b) => (b.mean < a.mean ? b : a))
  // Relative margin on top: with exact data every adequate prefix leaves ~0, and the simplest wins.
  return scored.find((c) => c.mean <= best.mean + best.standardError + 1e-9 * best.mean + 1e-12)!.terms
}

/** Fits every stage the runs measured. All runs must be at one GPU count (the caller picks it). */
export function fitCostModel(runs: readonly CalibrationRun[]): CostModel {
  const gpus = new Set(runs.map((r) => r.gpus))
  if (gpus.size !== 1) throw new Error(`fitCostModel: runs at one GPU count expected, got ${[...gpus].join(', ') || 'none'}`)
  const stages = [...new Set(runs.flatMap((r) => r.stages.map((s) => s.stage)))]
  return { gpus: runs[0]!.gpus, samples: distinctSamples(runs), stages: stages.map((s) => fitStage(s, runs)).filter((f): f is StageFit => f !== null) }
}

export interface StagePrediction {
  stage: CostStage
  /** Load included. */
  seconds: number
  loadSeconds: number
}

export function predictStages(model: CostModel, work: Record<CostStage, StageWork>): StagePrediction[] {
  return model.stages.map((fit) => {
    const variable = COST_TERMS.reduce((s, term) => s + fit.coefficients[term] * work[fit.stage][term], 0)
    return { stage: fit.stage, seconds: fit.loadSeconds + variable, loadSeconds: fit.loadSeconds }
  })
}

export function predictWall(model: CostModel, work: Record<CostStage, StageWork>): number {
  return predictStages(model, work).reduce((s, p) => s + p.seconds, 0)
}

/**
 * Half-width of the interval with one calibration sample: no residual exists, so this is a stated prior. Basis: the
 * one-run projections between the four committed H200 samples (docs/results/h200x1-2026-11-29-tuned) were within 13 %
 * when the calibration run was not dominated by fixed costs; from the 100-read sample (6 of its 8 s fixed) they were
 * 79–145 % over, which no prior covers: calibrate on a run whose variable work dominates.
 */
export const SINGLE_RUN_HALF_WIDTH = 0.25
/** Narrowest interval ever claimed: run-to-run noise of a pipeline wall time is seldom below this. */
export const MIN_HALF_WIDTH = 0.03

/** A calibration sample projected from a model fitted without it. */
export interface LeaveOneOut {
  sample: string
  projectedSeconds: number
  measuredSeconds: number
  errorFraction: number
}

/**
 * How far a projection can be off, by its length: errors that do not grow with the sample (start-up, model load,
 * warm-up: seconds) and errors that do (rates, run-to-run spread: a share of the time). One relative width for all
 * lengths would carry a 10 s sample's 4 s of cold-start error into a 10-hour projection as ±40 %.
 */
export interface ErrorModel {
  /** Standard error that does not grow with the projected time, seconds. */
  absoluteSeconds: number
  /** Standard error as a share of the projected time (leave-one-out and repeat spread together). */
  relative: number
  /** How the two were obtained. */
  basis: string
  leaveOneOut: LeaveOneOut[]
  /** Median relative half-spread (max − min) / 2 / median over samples with ≥ 2 repeats; null without repeats. */
  repeatSpread: number | null
}

/** The error model evaluated at one projected time. */
export interface Uncertainty extends ErrorModel {
  /** Relative half-width at this projection: the interval is seconds × (1 ± halfWidth). */
  halfWidth: number
}

/**
 * Maximum-likelihood split of errors e_i at times t_i into e ~ N(0, a² + (b·t)²), by a search over log-spaced a and b
 * (two parameters, a handful of points: a grid is exact enough and cannot diverge).
 */
export function fitErrorComponents(points: readonly { seconds: number; error: number }[]): { absoluteSeconds: number; relative: number } {
  const largest = Math.max(...points.map((p) => Math.abs(p.error)), 1e-9)
  const grid = (from: number, to: number, n = 121): number[] => Array.from({ length: n }, (_, i) => from * (to / from) ** (i / (n - 1)))
  let best = { absoluteSeconds: 0, relative: 0, cost: Number.POSITIVE_INFINITY }
  for (const a of grid(1e-3, 2 * largest)) {
    for (const b of grid(1e-4, 1)) {
      const cost = points.reduce((sum, p) => {
        const variance = a * a + (b * p.seconds) ** 2
        return sum + Math.log(variance) + p.error ** 2 / variance
      }, 0)
      if (cost < best.cost) best = { absoluteSeconds: a, relative: b, cost }
    }
  }
  return { absoluteSeconds: best.absoluteSeconds, relative: best.relative }
}

/** What a sample's frames look like to the embedding stages: ESM-2 FLOPs per frame, and frames per input sequence. */
function shapeOf(run: CalibrationRun): [number, number] {
  const protein = run.work.PROTEIN_FEATURES
  const inputs = run.work.START_UP.records
  return [protein.records > 0 ? protein.flops / protein.records : 0, inputs > 0 ? protein.records / inputs : 0]
}

/** Relative closeness under which two samples count as one shape (length profile), on both coordinates. */
export const SAME_SHAPE_WITHIN = 0.15

/** Samples grouped by shape (single linkage on shapeOf within SAME_SHAPE_WITHIN): sample → group number. */
export function shapeGroups(runs: readonly CalibrationRun[]): Map<string, number> {
  const shapes = new Map<string, [number, number]>()
  for (const run of runs) if (!shapes.has(run.sample)) shapes.set(run.sample, shapeOf(run))
  const names = [...shapes.keys()]
  const group = new Map(names.map((n, i) => [n, i]))
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= SAME_SHAPE_WITHIN * Math.max(Math.abs(a), Math.abs(b), 1e-30)
  names.forEach((a, i) => {
    for (const b of names.slice(i + 1)) {
      const [fa, ra] = shapes.get(a)!
      const [fb, rb] = shapes.get(b)!
      if (!close(fa, fb) || !close(ra, rb)) continue
      // Single linkage: merge b's group into a's.
      const [keep, drop] = [group.get(a)!, group.get(b)!]
      for (const [n, g] of group) if (g === drop) group.set(n, keep)
    }
  })
  return group
}

/**
 * How far the model can be trusted on a sample it was not fitted to: leave-one-out errors of the calibration samples
 * (each projected from the others: honest about extrapolation, pessimistic with few samples), split into a fixed and
 * a proportional part (fitErrorComponents), the proportional part widened by the repeat spread. With one run per
 * sample the leave-one-out errors already hold the run-to-run noise.
 */
export function fitErrorModel(runs: readonly CalibrationRun[]): ErrorModel {
  const samples = distinctSamples(runs)
  const spreads = runs.filter((r) => r.repeats.n >= 2 && r.repeats.min !== null && r.repeats.max !== null && r.wallSeconds > 0).map((r) => (r.repeats.max! - r.repeats.min!) / 2 / r.wallSeconds)
  const repeatSpread = spreads.length === 0 ? null : median(spreads)
  const repeatText = repeatSpread === null ? 'no repeats (run-to-run noise only inside the leave-one-out errors)' : `repeat spread ±${(100 * repeatSpread).toFixed(1)} % (median of ${spreads.length} sample(s))`
  if (samples.length < 2) {
    const relative = Math.max(SINGLE_RUN_HALF_WIDTH, 2 * (repeatSpread ?? 0)) / 2
    return { absoluteSeconds: 0, relative, basis: `prior for a model fitted to one sample (no residuals); ${repeatText}`, leaveOneOut: [], repeatSpread }
  }
  const shapes = shapeGroups(runs)
  const leaveOneOut = samples.map((sample): LeaveOneOut => {
    const held = runs.filter((r) => r.sample === sample)
    // Out with it goes every sample of its shape: what is projected later is a sample of another shape, and the
    // interval must say how well shapes transfer, not how well a third 500 bp sample follows two others.
    const shape = shapes.get(sample)
    // With fewer than two samples of other shapes that would be a one-sample prior: then leave the sample alone out.
    const others = runs.filter((r) => shapes.get(r.sample) !== shape)
    const model = fitCostModel(distinctSamples(others).length >= 2 ? others : runs.filter((r) => r.sample !== sample))
    const projected = median(held.map((r) => predictWall(model, r.work)))
    const measured = median(held.map((r) => r.wallSeconds))
    return { sample, projectedSeconds: projected, measuredSeconds: measured, errorFraction: (projected - measured) / measured }
  })
  const split = fitErrorComponents(leaveOneOut.map((e) => ({ seconds: e.measuredSeconds, error: e.projectedSeconds - e.measuredSeconds })))
  const relative = Math.sqrt(split.relative ** 2 + (repeatSpread ?? 0) ** 2)
  return {
    absoluteSeconds: split.absoluteSeconds,
    relative,
    basis: `2·√(a² + (b·t)²) with a = ${split.absoluteSeconds.toFixed(2)} s, b = ${(100 * split.relative).toFixed(1)} %: the leave-one-shape-out errors of ${samples.length} calibration samples in ${new Set(shapes.values()).size} shapes (${leaveOneOut.map((e) => `${(100 * e.errorFraction).toFixed(1)} %`).join(', ')}) split by maximum likelihood into a fixed and a proportional part; ${repeatText}`,
    leaveOneOut,
    repeatSpread,
  }
}

/** The interval's relative half-width at a projected time: 2·√(a² + (b·t)²) / t (≈ 95 % for normal errors), at least MIN_HALF_WIDTH. */
export function uncertaintyAt(model: ErrorModel, seconds: number): Uncertainty {
  const spread = 2 * Math.sqrt(model.absoluteSeconds ** 2 + (model.relative * seconds) ** 2)
  const halfWidth = Math.max(MIN_HALF_WIDTH, seconds > 0 ? spread / seconds : MIN_HALF_WIDTH)
  return { ...model, halfWidth, basis: `±${(100 * halfWidth).toFixed(1)} % at this time${halfWidth === MIN_HALF_WIDTH ? ' (the floor)' : ''} = ${model.basis}` }
}

export type Verdict = 'within target' | 'over target' | 'undecided'

/** Against a ceiling of target·(1 + tolerance): decided only when the whole interval is on one side. */
export function verdict(low: number, high: number, ceilingSeconds: number): Verdict {
  if (high <= ceilingSeconds) return 'within target'
  if (low > ceilingSeconds) return 'over target'
  return 'undecided'
}
