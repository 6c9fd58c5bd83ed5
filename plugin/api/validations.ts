import { relative, resolve } from 'node:path'
import { describe, expect, test, type TestContext } from 'vitest'
import { z } from 'zod'
import { describeRun } from '../analysis/what-ran.ts'
import { requirePath } from '../config/check-paths.ts'
import { COMPARE_ERROR_REASONS, compareOutputs, DIVERGENCE_ORDER, FindingCodeSchema, readReferenceManifest, type ComparisonOptionsInput } from '../compare/index.ts'
import { type Comparison, type Verdict, VerdictSchema } from '../model/validation.ts'
import type { RunResult } from '../model/run-result.ts'
import type { Expectation } from '../model/case-result.ts'
import { harnessConfig } from '../vitest/context.ts'
import { testTaskHandle, type TaskHandle } from '../vitest/task-handle.ts'
import { CaseSession, type CaseSpec, type RunSpec } from './case-session.ts'
import type { SampleSpec } from './samples.ts'

export interface ValidationOptions {
  sample: SampleSpec
  /** Comparison tolerances and verdict thresholds (default rtol 1e-3, atol 1e-5). */
  tolerance?: ComparisonOptionsInput
}

function callerFile(): string {
  const line = new Error().stack?.split('\n').find((frame) => /\/validations\//.test(frame)) ?? ''
  // `    at file:///repo/benches/x.bench.ts:3:1` or `    at fn (/repo/validations/y.test.ts:4:2)` → repo-relative path.
  const path = /(?:\(|\s)(?:file:\/\/)?(\/[^():]+\.ts)/.exec(line)?.[1]
  return path === undefined ? 'unknown' : relative(process.cwd(), path)
}

/** Runs the candidate as the reference was made, so a model or chunk-length mismatch cannot pose as divergence. */
async function settingsOf(referenceDir: string): Promise<NonNullable<CaseSpec['like']>> {
  const manifest = await readReferenceManifest(resolve(referenceDir))
  return {
    ...(manifest.modelSize === 'tiny' || manifest.modelSize === 'full' ? { modelSize: manifest.modelSize } : {}),
    ...(manifest.seed === null ? {} : { seed: manifest.seed }),
    ...(manifest.chunkLength === 300 || manifest.chunkLength === 500 ? { chunkLength: manifest.chunkLength } : {}),
  }
}

function gpusForOneRun(): number {
  return CaseSession.availableGpus().length > 0 ? 1 : 0
}

function runFacts(run: RunResult): { exitCode: number | null; logFailures: string[]; expectedOrfs: number | null } {
  return {
    exitCode: run.exitCode,
    logFailures: run.logFindings.filter((f) => f.severity === 'error').map((f) => f.message),
    expectedOrfs: run.counts.orfFrames,
  }
}

function summary(comparison: Comparison): string {
  const lines = comparison.findings.map((f) => `  [${f.verdict}] ${f.message}`)
  return [`verdict ${comparison.verdict} (${comparison.candidate} vs ${comparison.reference})`, ...lines].join('\n')
}

/** Compares, records, and turns the verdict into Vitest's language: fail throws, warn annotates, pass is quiet. */
async function judge(session: CaseSession, handle: TaskHandle, candidate: RunResult, referenceDir: string, tolerance: ComparisonOptionsInput | undefined, referenceRun?: RunResult): Promise<Comparison> {
  // The runs' own logs fill in a model or chunk length the output folders do not record (contract §6.8).
  const configs = { candidate: candidate.effectiveConfig, reference: referenceRun?.effectiveConfig ?? null }
  const described = referenceRun === undefined ? {} : { referenceDescription: describeRun(referenceRun) }
  const outcome = await compareOutputs(candidate.outputDir, referenceDir, { ...(tolerance === undefined ? {} : { options: tolerance }), run: runFacts(candidate), configs, ...described })
  if (outcome.status === 'error') {
    session.fail(`comparison impossible (${outcome.reason}): ${outcome.message}`)
    await session.persist(handle)
    throw new Error(`comparison impossible (${outcome.reason}): ${outcome.message}`)
  }
  session.recordComparison(outcome.comparison)
  await session.persist(handle)
  return outcome.comparison
}

async function announce(comparison: Comparison, context: TestContext, handle: TaskHandle): Promise<void> {
  if (comparison.verdict === 'warn') {
    for (const finding of comparison.findings.filter((f) => f.verdict === 'warn')) await context.annotate(finding.message, 'warning')
  }
  void handle
  if (comparison.verdict === 'fail') throw new Error(`optimised output does not match:\n${summary(comparison)}`)
}

/** The optimised pipeline on a committed sample must match the committed vanilla reference. */
export function validateAgainstReference(title: string, options: ValidationOptions & { reference: string }): void {
  requirePath(`reference of "${title}"`, options.reference, 'directory')
  const file = callerFile()
  test(title, async (context) => {
    const like = await settingsOf(options.reference)
    const session = new CaseSession({ title, kind: 'validation', file, sample: options.sample, params: { reference: options.reference }, like })
    const handle = testTaskHandle(context.task, context.annotate)
    const missing = await session.missingReason()
    if (missing !== null) return context.skip(missing)
    const run = await session.run({ mode: 'optimised', gpuCount: gpusForOneRun() }, handle)
    const comparison = await judge(session, handle, run, resolve(options.reference), options.tolerance)
    await announce(comparison, context, handle)
  })
}

/**
 * What an injected fault must produce, by finding code (messages are for people and may be reworded): a verdict,
 * the findings that name the problem (each code must be among the comparison's findings; 'none' = no finding at
 * all), and optionally the first stage that diverges. Or, for a fault that makes comparison impossible, the reason.
 */
export const FaultExpectationSchema = z.union([
  z.object({
    verdict: VerdictSchema,
    findings: z.union([z.literal('none'), z.array(FindingCodeSchema).min(1)]),
    divergesAt: z.enum(DIVERGENCE_ORDER).optional(),
  }),
  z.object({ verdict: z.literal('error'), reason: z.enum(COMPARE_ERROR_REASONS) }),
])
export type FaultExpectation = z.infer<typeof FaultExpectationSchema>

function findingCodes(comparison: Comparison): string[] {
  return [...new Set(comparison.findings.map((f) => f.code))]
}

/** The findings with their codes, for the message of a failed expectation. */
function codedSummary(comparison: Comparison): string {
  return [`verdict ${comparison.verdict}, first diverging stage ${String(comparison.firstDivergingStage)}`, ...comparison.findings.map((f) => `  [${f.verdict}] ${f.code}: ${f.message}`)].join('\n')
}

/** An injected fault of the reference pipeline must be caught with the right verdict and a message naming it. */
export function expectFaultCaught(fault: string, options: ValidationOptions & { reference: string; expect: FaultExpectation }): void {
  requirePath(`reference of fault case ${fault}`, options.reference, 'directory')
  const file = callerFile()
  const expected = FaultExpectationSchema.parse(options.expect) // a misspelt code fails at collection, naming it
  test(`catches injected fault ${fault}`, async (context) => {
    const like = await settingsOf(options.reference)
    const expectation: Expectation = expected.verdict === 'error' && 'reason' in expected ? { verdict: 'error', reason: expected.reason } : { verdict: expected.verdict, findings: 'findings' in expected ? expected.findings : 'none' }
    const session = new CaseSession({ title: `catches injected fault ${fault}`, kind: 'validation', file, sample: options.sample, params: { fault, reference: options.reference }, like, expectation })
    const handle = testTaskHandle(context.task, context.annotate)
    const missing = await session.missingReason()
    if (missing !== null) return context.skip(missing)
    const spec: RunSpec = { mode: 'optimised', gpuCount: gpusForOneRun(), inject: [fault] }
    const run = await session.run(spec, handle)
    const outcome = await compareOutputs(run.outputDir, resolve(options.reference), { ...(options.tolerance === undefined ? {} : { options: options.tolerance }), run: runFacts(run) })
    if (outcome.status === 'error') {
      session.noteComparisonError(`comparison impossible (${outcome.reason}): ${outcome.message}`)
      await session.persist(handle)
      expect(expected.verdict, `comparison error: ${outcome.message}`).toBe('error')
      if (expected.verdict === 'error') expect(outcome.reason, outcome.message).toBe(expected.reason)
      return
    }
    session.recordComparison(outcome.comparison)
    await session.persist(handle)
    const why = codedSummary(outcome.comparison)
    expect(outcome.comparison.verdict, why).toBe(expected.verdict)
    if (expected.verdict === 'error') return
    if (expected.findings === 'none') expect(findingCodes(outcome.comparison), why).toEqual([])
    else expect(findingCodes(outcome.comparison), why).toEqual(expect.arrayContaining(expected.findings))
    if (expected.divergesAt !== undefined) expect(outcome.comparison.firstDivergingStage, why).toBe(expected.divergesAt)
  })
}

/** With several GPUs, the N-GPU output must agree with the 1-GPU output (work split must not change results). */
export function validateGpuConsistency(title: string, options: ValidationOptions & { gpus: number }): void {
  const file = callerFile()
  const available = CaseSession.availableGpus().length
  const reason = `needs ${options.gpus} GPUs, this machine has ${available}`
  describe(title, () => {
    test.skipIf(available < options.gpus)(`1 GPU vs ${options.gpus} GPUs${available < options.gpus ? ` (${reason})` : ''}`, async (context) => {
      const session = new CaseSession({ title, kind: 'validation', file, sample: options.sample, params: { gpus: options.gpus } })
      const handle = testTaskHandle(context.task, context.annotate)
      const single = await session.run({ mode: 'optimised', gpuCount: 1 }, handle)
      const multi = await session.run({ mode: 'optimised', gpuCount: options.gpus }, handle)
      const comparison = await judge(session, handle, multi, single.outputDir, options.tolerance, single)
      await announce(comparison, context, handle)
    })
  })
}

/** Runs vanilla fresh next to the optimised pipeline and compares them (opt-in: the `freshVanilla` option, VALIDATE_FRESH_VANILLA=1). */
export function validateAgainstFreshVanilla(title: string, options: ValidationOptions): void {
  const file = callerFile()
  const enabled = harnessConfig().freshVanilla
  test.skipIf(!enabled)(`${title}${enabled ? '' : ' (set VALIDATE_FRESH_VANILLA=1)'}`, async (context) => {
    const session = new CaseSession({ title, kind: 'validation', file, sample: options.sample, params: { fresh: true } })
    const handle = testTaskHandle(context.task, context.annotate)
    const missing = await session.missingReason()
    if (missing !== null) return context.skip(missing)
    const gpus = gpusForOneRun()
    const vanilla = await session.run({ mode: 'vanilla', gpuCount: gpus }, handle)
    const optimised = await session.run({ mode: 'optimised', gpuCount: gpus }, handle)
    const comparison = await judge(session, handle, optimised, vanilla.outputDir, options.tolerance, vanilla)
    await announce(comparison, context, handle)
  })
}
