/**
 * Measured runs for a projection, from a harness report (reports/*.json) or a run folder (.runs/<run>/result.json),
 * for either target. I/O at the edge: reads JSON and validates it with the report and run schemas.
 */
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { RunResultSchema, type RunResult } from '../model/run-result.ts'
import { z } from 'zod'

/** Only the runs are read: reports written before a schema change elsewhere (e.g. projections) still load. */
const RunsOfReportSchema = z.looseObject({ cases: z.array(z.looseObject({ runs: z.array(RunResultSchema) })) })

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export async function loadRuns(source: string): Promise<RunResult[]> {
  const info = await stat(source).catch(() => null)
  if (info === null) throw new Error(`--from ${source}: no such file or folder`)
  if (info.isDirectory()) {
    const path = join(source, 'result.json')
    const parsed = RunResultSchema.safeParse(await readJson(path))
    if (!parsed.success) throw new Error(`${path} is not a run result: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
    return [parsed.data]
  }
  const parsed = RunsOfReportSchema.safeParse(await readJson(source))
  if (!parsed.success) throw new Error(`${source} is not a harness report: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return parsed.data.cases.flatMap((c) => c.runs)
}
