import type { DownstreamImpact, Finding, TensorStats, Verdict } from '../../model/validation.ts'
import type { ConsensusComparison } from './consensus-stats.ts'
import { finding, fmtNum, fmtPercent } from './findings.ts'
import { describeIds } from './ids.ts'
import type { ComparisonOptions } from './options.ts'
import type { IdSample } from './ids.ts'
import type { PredictionComparison } from './prediction-stats.ts'
import { STAGE_LABEL } from './stages.ts'

/** The order outputs are produced in; the first stage that differs is where an investigation starts. */
export const DIVERGENCE_ORDER = ['dnabert', 'esm', 'merged', 'predictions', 'consensus'] as const
export type DivergenceStage = (typeof DIVERGENCE_ORDER)[number]

export interface VerdictInput {
  tensors: readonly TensorStats[]
  predictions: PredictionComparison | null
  consensus: ConsensusComparison | null
  /** Integrity findings of the candidate (any 'fail' among them fails the comparison). */
  integrity: readonly Finding[]
  options: ComparisonOptions
  /**
   * Candidate frames (and chunks made only of them) that the reference lacks because their protein is empty: the
   * vanilla rules drop such frames (plugin/data/vanilla-rules.ts, contract §8). Classified apart from lost rows.
   */
  emptyProteinExtras?: { frames: IdSample; chunks: IdSample }
  /** The lowest-cosine vectors followed to their frames and chunks (downstream.ts); empty when not followed. */
  downstream?: readonly DownstreamImpact[]
}

export interface VerdictResult {
  verdict: Verdict
  findings: Finding[]
  firstDivergingStage: DivergenceStage | null
}

function tensorDiverges(t: TensorStats): boolean {
  return t.outsideTolerance > 0 || t.nanCount + t.infCount > 0
}

function stageDiverges(stage: DivergenceStage, input: VerdictInput): boolean {
  if (stage === 'predictions') {
    const p = input.predictions
    return p !== null && (p.flips.count > 0 || p.scoresOutside > 0 || p.nonFiniteScores > 0)
  }
  if (stage === 'consensus') return input.consensus !== null && input.consensus.disagreements.count > 0
  const t = input.tensors.find((x) => x.stage === stage)
  return t !== undefined && tensorDiverges(t)
}

function describeTensor(t: TensorStats, o: ComparisonOptions): string {
  const worst = t.worst
  const w = worst === null ? '' : `; worst ${worst.id}[${worst.index}] = ${fmtNum(worst.candidate)} vs ${fmtNum(worst.reference)} (bound ${fmtNum(worst.bound)})`
  const nonFinite = t.nanCount + t.infCount > 0 ? `${t.nanCount} NaN / ${t.infCount} Inf values (left out of the figures below); ` : ''
  return (
    `${STAGE_LABEL[t.stage]}: ${nonFinite}${t.outsideTolerance} of ${t.elements} elements (${fmtPercent(t.outsidePercent)}) in ${t.vectorsOutside} of ${t.vectors} vectors ` +
    `outside rtol=${fmtNum(o.rtol)}/atol=${fmtNum(o.atol)}, max |Δ| ${fmtNum(t.maxAbsDiff)}, max rel ${fmtNum(t.maxRelDiff)}, ` +
    `cosine min ${t.minCosine.toFixed(6)} / mean ${t.meanCosine.toFixed(6)}${w}`
  )
}

function describeStage(stage: DivergenceStage, input: VerdictInput): string {
  if (stage === 'predictions') {
    const p = input.predictions as PredictionComparison
    return `predictions: ${p.flips.count} label flip(s) of ${p.stats.rows} frames (${fmtPercent(p.stats.labelAgreement)} agreement), max |Δscore| ${fmtNum(p.stats.maxScoreDiff)}, mean ${fmtNum(p.stats.meanScoreDiff)}, ${p.scoresOutside} score(s) beyond ${fmtNum(input.options.scoreAtol)}`
  }
  if (stage === 'consensus') {
    const c = input.consensus as ConsensusComparison
    return `consensus: ${describeIds(c.disagreements)} of ${c.stats.rows} chunks disagree on Is_Virus (${fmtPercent(c.stats.agreement)} agreement)`
  }
  const t = input.tensors.find((x) => x.stage === stage) as TensorStats
  return describeTensor(t, input.options)
}

/** Reference rows the candidate lacks (or adds) are a failure whatever the numbers say. */
function coverageFindings(input: VerdictInput): Finding[] {
  const out: Finding[] = []
  const p = input.predictions
  const empty = input.emptyProteinExtras ?? { frames: { count: 0, examples: [] }, chunks: { count: 0, examples: [] } }
  if (p !== null) {
    if (p.missing.count > 0) out.push(finding('fail', 'reference-missing-ids', `${describeIds(p.missing)} reference frame(s) are missing from the candidate's prediction_results.txt`))
    const unexplained = p.extra.count - empty.frames.count
    if (unexplained > 0) {
      const besides = empty.frames.count > 0 ? ` (besides the ${empty.frames.count} empty-protein frame(s))` : ''
      out.push(finding('fail', 'candidate-extra-ids', `${unexplained} candidate frame(s) are not in the reference predictions${besides}, e.g. ${p.extra.examples.filter((id) => !empty.frames.examples.includes(id)).join(', ') || '…'}`))
    }
    if (p.nonFiniteScores > 0) out.push(finding('fail', 'non-finite', `${p.nonFiniteScores} candidate prediction row(s) have NaN/Inf scores`))
  }
  const c = input.consensus
  if (c !== null) {
    if (c.missing.count > 0) out.push(finding('fail', 'reference-missing-ids', `${describeIds(c.missing)} reference chunk(s) are missing from the candidate's consensus`))
    const unexplained = c.extra.count - empty.chunks.count
    if (unexplained > 0) out.push(finding('fail', 'candidate-extra-ids', `${unexplained} candidate chunk(s) are not in the reference consensus${empty.chunks.count > 0 ? ` (besides the ${empty.chunks.count} made only of empty-protein frames)` : ''}`))
  }
  if (empty.frames.count > 0) {
    const chunks = empty.chunks.count > 0 ? `; ${describeIds(empty.chunks)} chunk(s) have only such frames and so no vanilla consensus row` : ''
    out.push(
      finding(
        'warn',
        'empty-protein-frames',
        `${describeIds(empty.frames)} candidate frames with an empty protein: the vanilla rules drop them (prediction.py keeps only frames with protein != ''; contract §8), the candidate embeds and scores them${chunks}. Not lost or duplicated rows: left out of the comparison`,
      ),
    )
  }
  return out
}

/** Borderline flips (and the consensus disagreements on their chunks) that the options let count as variance. */
function excusedFlips(input: VerdictInput): { flips: number; consensus: number; why: string } {
  const p = input.predictions
  const o = input.options
  const none = (why: string): { flips: number; consensus: number; why: string } => ({ flips: 0, consensus: 0, why })
  if (p === null || p.borderline.count === 0) return none('no borderline flips')
  if (!o.borderlineFlipsAreVariance) return none('borderlineFlipsAreVariance is off')
  const share = (100 * p.borderline.count) / p.stats.rows
  // A fixed share of a tiny sample would excuse nothing; one flip is always allowed to be the boundary's.
  if (p.borderline.count > 1 && share > o.maxBorderlineFlipPercent) return none(`${fmtPercent(share)} of frames > ${o.maxBorderlineFlipPercent} %`)
  return { flips: p.borderline.count, consensus: input.consensus?.borderline.count ?? 0, why: '' }
}

interface CosineRuleResult {
  holds: boolean
  below: number
  /** False when the count is an upper bound (comparisons that did not record it). */
  exact: boolean
  text: string
}

/**
 * The cosine rule of contract §6.6 on one stage: ≥ minCosineSharePercent of vectors at ≥ minCosine, all ≥ the floor.
 * Comparisons stored before the counts were recorded bound the count by the vectors outside tolerance: a vector
 * whose every element is within rtol 1e-3 of the reference cannot have a cosine below 0.999.
 */
export function cosineRule(t: TensorStats, o: ComparisonOptions): CosineRuleResult {
  const label = STAGE_LABEL[t.stage]
  if (t.vectors === 0) return { holds: true, below: 0, exact: true, text: `${label}: no vectors` }
  const recorded = t.lowCosine !== null && t.lowCosine.threshold === o.minCosine
  const below = t.minCosine >= o.minCosine ? 0 : recorded ? (t.lowCosine?.below ?? 0) : t.vectorsOutside
  // One vector outside tolerance and a minimum under the threshold: that vector is the one, exactly.
  const exact = t.minCosine >= o.minCosine || recorded || t.vectorsOutside === 1
  const share = (100 * (t.vectors - below)) / t.vectors
  const shareHolds = share >= o.minCosineSharePercent
  const floorHolds = t.minCosine >= o.minCosineFloor
  const count = `${exact ? '' : 'at most '}${below} of ${t.vectors} vectors (${fmtPercent((100 * below) / t.vectors)}) below cosine ${o.minCosine}`
  const parts = [count, `min ${t.minCosine.toFixed(6)}`]
  if (!shareHolds) parts.push(`fewer than ${o.minCosineSharePercent} % reach ${o.minCosine}`)
  if (!floorHolds) parts.push(`below the floor ${o.minCosineFloor}`)
  return { holds: shareHolds && floorHolds, below, exact, text: `${label}: ${parts.join(', ')}` }
}

function describeImpact(i: DownstreamImpact): string {
  const label =
    i.labelChanged === null
      ? 'no prediction row on both sides'
      : i.labelChanged
        ? `label changed ${i.referenceLabel} → ${i.candidateLabel}`
        : `label unchanged (${i.candidateLabel})`
  const score = i.scoreDelta === null ? '' : `, |Δscore| ${fmtNum(i.scoreDelta)}`
  const consensus = i.consensusChanged === null ? `chunk ${i.chunk}: consensus not compared` : `consensus of ${i.chunk} ${i.consensusChanged ? 'changed' : 'unchanged'}`
  return `${i.id} (cosine ${i.cosine.toFixed(6)}): ${label}${score}, ${consensus}`
}

/**
 * What the divergence does downstream (issue 14): per stage with vectors under the cosine threshold, which vectors,
 * their cosine, and whether their frame's label, score and chunk's consensus moved; then the run-wide label and
 * consensus outcome, so a reader sees at once whether the difference matters for the classification.
 */
function investigation(input: VerdictInput, severity: Verdict): Finding[] {
  const o = input.options
  const out: Finding[] = []
  const named = new Set<string>()
  for (const t of input.tensors) {
    const rule = cosineRule(t, o)
    if (rule.below === 0) continue
    const impacts = (input.downstream ?? []).filter((d) => d.stage === t.stage)
    // The merged vector repeats its DNABERT-S/ESM-2 halves: say it once, where it starts.
    if (t.stage === 'merged' && impacts.length > 0 && impacts.every((d) => named.has(d.id))) continue
    for (const d of impacts) named.add(d.id)
    const which = impacts.length > 0 ? `: ${impacts.map(describeImpact).join('; ')}` : ''
    out.push(finding(severity, 'divergent-vectors', `${rule.text}${which}`))
  }
  if (out.length === 0) return out
  const p = input.predictions
  const c = input.consensus
  const labels = p === null ? 'labels not compared' : `${p.flips.count} label change(s) of ${p.stats.rows} frames, max |Δscore| ${fmtNum(p.stats.maxScoreDiff)}`
  const consensus = c === null ? 'consensus not compared' : `${c.disagreements.count} consensus change(s) of ${c.stats.rows} chunks`
  const none = p !== null && c !== null && p.flips.count === 0 && c.disagreements.count === 0
  out.push(finding(severity, 'divergent-vectors', `downstream: ${labels}; ${consensus}${none ? ': no label or consensus changed' : ''}`))
  return out
}

/**
 * pass: everything within tolerance, labels and consensus identical.
 * warn: tolerance exceeded but the cosine rule holds (cosineRule) and agreement ≥ the thresholds (numerical variance).
 * fail: anything else, and always on integrity failures.
 */
export function decideVerdict(input: VerdictInput): VerdictResult {
  const o = input.options
  const findings: Finding[] = [...input.integrity, ...coverageFindings(input)]
  const first = DIVERGENCE_ORDER.find((s) => stageDiverges(s, input)) ?? null
  const diverging = DIVERGENCE_ORDER.filter((s) => stageDiverges(s, input))
  const integrityFailed = findings.some((f) => f.verdict === 'fail')
  if (first === null) {
    // A known, classified difference (e.g. empty-protein frames) makes an otherwise equal comparison a warn.
    const known = findings.some((f) => f.verdict === 'warn')
    return { verdict: integrityFailed ? 'fail' : known ? 'warn' : 'pass', findings, firstDivergingStage: null }
  }
  const reasons: string[] = []
  for (const t of input.tensors) {
    if (t.nanCount + t.infCount > 0) reasons.push(`${STAGE_LABEL[t.stage]} has ${t.nanCount} NaN / ${t.infCount} Inf values`)
    const rule = cosineRule(t, o)
    if (!rule.holds) reasons.push(rule.text)
  }
  const p = input.predictions
  const excused = excusedFlips(input)
  if (p !== null && p.stats.rows > 0) {
    const agreement = (100 * (p.stats.rows - p.flips.count + excused.flips)) / p.stats.rows
    if (agreement < o.minLabelAgreementPercent) {
      const also = excused.flips > 0 ? ` after excusing ${excused.flips} borderline flip(s)` : ''
      reasons.push(`label agreement ${fmtPercent(agreement)}${also} < ${o.minLabelAgreementPercent} % (${p.flips.count} flips; a different model? contract §6.8)`)
    }
  }
  const c = input.consensus
  if (c !== null && c.stats.rows > 0) {
    const agreement = (100 * (c.stats.rows - c.disagreements.count + excused.consensus)) / c.stats.rows
    if (agreement < o.minConsensusAgreementPercent) {
      const also = excused.consensus > 0 ? ` after excusing ${excused.consensus} borderline chunk(s)` : ''
      reasons.push(`consensus agreement ${fmtPercent(agreement)}${also} < ${o.minConsensusAgreementPercent} %`)
    }
  }
  const verdict: Verdict = integrityFailed || reasons.length > 0 ? 'fail' : 'warn'
  const severity: Verdict = verdict === 'fail' ? 'fail' : 'warn'
  if (reasons.length > 0) findings.push(finding('fail', 'tolerance', `outside numerical variance: ${reasons.join('; ')}`))
  else if (!integrityFailed) {
    const borderline = excused.flips > 0 ? `, ${excused.flips} borderline flip(s) excused` : ''
    findings.push(
      finding(
        'warn',
        'numerical-variance',
        `tolerance exceeded but within numerical variance (cosine ≥ ${o.minCosine} for ≥ ${o.minCosineSharePercent} % of vectors and ≥ ${o.minCosineFloor} for all, label and consensus agreement ≥ ${o.minLabelAgreementPercent} % / ${o.minConsensusAgreementPercent} %${borderline})`,
      ),
    )
  }
  findings.push(...investigation(input, severity))
  findings.push(finding(severity, 'first-divergence', `first diverging stage: ${describeStage(first, input)}`))
  for (const s of diverging.slice(1)) {
    const code = s === 'predictions' ? (p !== null && p.flips.count > 0 ? 'label-flips' : 'score-diff') : s === 'consensus' ? 'consensus-disagreement' : 'tolerance'
    findings.push(finding(severity, code, describeStage(s, input)))
  }
  if (p !== null && p.borderline.count > 0) {
    const how = excused.flips > 0 ? 'counted as numerical variance' : `not excused (${excused.why})`
    findings.push(
      finding(
        severity,
        'borderline-flips',
        `${describeIds(p.borderline)} of ${p.flips.count} label flip(s) are borderline: the reference scored them at most ${fmtNum(p.borderlineMaxMargin)} from 0.5, within ${fmtNum(p.stats.agreeingMaxScoreDiff)}, the largest |Δscore| among frames that kept their label; ${how}`,
      ),
    )
  }
  if (p !== null && !diverging.includes('predictions')) {
    findings.push(finding(severity, 'label-flips', `labels: 0 flips of ${p.stats.rows} frames; max |Δscore| ${fmtNum(p.stats.maxScoreDiff)}`))
  }
  return { verdict, findings, firstDivergingStage: first }
}
