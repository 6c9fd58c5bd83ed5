/**
 * One JSON file per finished case under `<reportsDir>/.cases/<sessionId>/`, written atomically the moment the case
 * ends: the crash-safe source every report is regenerated from.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CaseResultSchema, type CaseResult } from '../model/case-result.ts'
import { writeFileAtomic } from '../io/files.ts'
import { EvaluatedCaseSchema, type EvaluatedCase } from './schema.ts'

/** A case as its session stores it: evaluated (analysis and warnings) when the session ran; else as built. */
export type StoredCase = CaseResult | EvaluatedCase

/** The schema a stored case is checked against: with an analysis it must be a whole evaluated case. */
function schemaFor(value: unknown): typeof EvaluatedCaseSchema | typeof CaseResultSchema {
  return typeof value === 'object' && value !== null && 'analysis' in value ? EvaluatedCaseSchema : CaseResultSchema
}

export interface CorruptCaseFile {
  file: string
  reason: string
}

export interface StoredCases {
  cases: StoredCase[]
  /** Files that could not be read or failed the schema: named, skipped, never silently lost. */
  corrupt: CorruptCaseFile[]
}

/** Case ids become file names: anything outside [A-Za-z0-9._-] is replaced. */
export function caseFileName(caseId: string): string {
  const safe = caseId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 150)
  return `${safe || 'case'}.json`
}

export function caseStoreDir(reportsDir: string, sessionId: string): string {
  return join(reportsDir, '.cases', sessionId)
}

export class CaseStore {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  static forSession(reportsDir: string, sessionId: string): CaseStore {
    return new CaseStore(caseStoreDir(reportsDir, sessionId))
  }

  /** Validates, then writes atomically; returns the file path. A second write of the same id replaces the first. */
  async write(caseResult: StoredCase): Promise<string> {
    const parsed = schemaFor(caseResult).safeParse(caseResult)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new Error(`case "${caseResult.id}" is not a valid CaseResult: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
    }
    const path = join(this.dir, caseFileName(caseResult.id))
    await writeFileAtomic(path, `${JSON.stringify(parsed.data, null, 2)}\n`)
    return path
  }

  async readAll(): Promise<StoredCases> {
    let names: string[]
    try {
      names = await readdir(this.dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { cases: [], corrupt: [] }
      throw error
    }
    const cases: StoredCase[] = []
    const corrupt: CorruptCaseFile[] = []
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = join(this.dir, name)
      try {
        const json: unknown = JSON.parse(await readFile(file, 'utf8'))
        const parsed = schemaFor(json).safeParse(json)
        if (parsed.success) cases.push(parsed.data)
        else corrupt.push({ file, reason: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') })
      } catch (error) {
        corrupt.push({ file, reason: error instanceof Error ? error.message : String(error) })
      }
    }
    return { cases: cases.sort((a, b) => a.startedAtMs - b.startedAtMs), corrupt }
  }
}
