import { resolve } from 'node:path'
import { describe, expect, test, type TestContext } from 'vitest'
import { requirePath } from '../config/check-paths.ts'
import { compareOutputs, readReferenceManifest, type ComparisonOptionsInput } from '../compare/index.ts'
import type { Comparison, Verdict } from '../model/validation.ts'
import type { RunResult } from '../model/run-result.ts'
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
  return /\(?(?:file:\/\/)?([^():]+\.ts)/.exec(line)?.[1] ?? 'unknown'
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
async function judge(session: CaseSession, handle: TaskHandle, candidate: RunResult, referenceDir: string, tolerance: ComparisonOptionsInput | undefined): Promise<Comparison> {
  const outcome = await compareOutputs(candidate.outputDir, referenceDir, { ...(tolerance === undefined ? {} : { options: tolerance }), run: runFacts(candidate) })
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

export interface FaultExpectation {
  verdict: Verdict | 'error'
  /** A finding (or the error) must name the problem. */
  names: RegExp
}

/** An injected fault of the reference pipeline must be caught with the right verdict and a message naming it. */
export function expectFaultCaught(fault: string, options: ValidationOptions & { reference: string; expect: FaultExpectation }): void {
  requirePath(`reference of fault case ${fault}`, options.reference, 'directory')
  const file = callerFile()
  test(`catches injected fault ${fault}`, async (context) => {
    const like = await settingsOf(options.reference)
    const session = new CaseSession({ title: `fault ${fault}`, kind: 'validation', file, sample: options.sample, params: { fault, reference: options.reference }, like })
    const handle = testTaskHandle(context.task, context.annotate)
    const missing = await session.missingReason()
    if (missing !== null) return context.skip(missing)
    const spec: RunSpec = { mode: 'optimised', gpuCount: gpusForOneRun(), inject: [fault] }
    const run = await session.run(spec, handle)
    const outcome = await compareOutputs(run.outputDir, resolve(options.reference), { ...(options.tolerance === undefined ? {} : { options: options.tolerance }), run: runFacts(run) })
    if (outcome.status === 'error') {
      expect(options.expect.verdict, `comparison error: ${outcome.message}`).toBe('error')
      expect(outcome.message).toMatch(options.expect.names)
      return
    }
    session.recordComparison(outcome.comparison)
    await session.persist(handle)
    expect(outcome.comparison.verdict, summary(outcome.comparison)).toBe(options.expect.verdict)
    const messages = outcome.comparison.findings.map((f) => f.message).join('\n')
    expect(messages).toMatch(options.expect.names)
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
      const comparison = await judge(session, handle, multi, single.outputDir, options.tolerance)
      await announce(comparison, context, handle)
    })
  })
}

/** Runs vanilla fresh next to the optimised pipeline and compares them (opt-in: VALIDATE_FRESH_VANILLA=1). */
export function validateAgainstFreshVanilla(title: string, options: ValidationOptions): void {
  const file = callerFile()
  const enabled = process.env.VALIDATE_FRESH_VANILLA === '1'
  test.skipIf(!enabled)(`${title}${enabled ? '' : ' (set VALIDATE_FRESH_VANILLA=1)'}`, async (context) => {
    const session = new CaseSession({ title, kind: 'validation', file, sample: options.sample, params: { fresh: true } })
    const handle = testTaskHandle(context.task, context.annotate)
    const missing = await session.missingReason()
    if (missing !== null) return context.skip(missing)
    const gpus = gpusForOneRun()
    const vanilla = await session.run({ mode: 'vanilla', gpuCount: gpus }, handle)
    const optimised = await session.run({ mode: 'optimised', gpuCount: gpus }, handle)
    const comparison = await judge(session, handle, optimised, vanilla.outputDir, options.tolerance)
    await announce(comparison, context, handle)
  })
}
