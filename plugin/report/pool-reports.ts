/**
 * One side of a comparison made of several reports of the same code: their runs pooled per case. A shared machine's
 * speed drifts between sessions (+42 % and +50 % for whole `vitest bench` processes on this project's CI machine,
 * with nothing else running inside it), so two single reports cannot tell drift from a regression; base and candidate
 * sessions made alternately (A, B, A, B …) and pooled per side carry the drift on both sides alike, where it widens
 * the noise instead of shifting one side. Pure: no I/O.
 */
import type { Report, ReportCase } from './schema.ts'

function poolCase(into: ReportCase, from: ReportCase): ReportCase {
  // A case skipped in one session and run in another is the run one; a failure anywhere is the side's failure.
  if (into.status === 'skipped' && from.status !== 'skipped') return { ...from, runs: [...into.runs, ...from.runs] }
  const failed = from.status === 'error' && into.status !== 'error'
  return { ...(failed ? from : into), runs: [...into.runs, ...from.runs] }
}

/**
 * The reports of one side as one report: runs of each case (by id) concatenated, each report's warm-up runs still
 * marked (so left out); complete only when all are; the first report's environment, thresholds and analysis (the
 * utilisation and memory rows of a comparison read the first report of each side).
 */
export function poolReports(reports: readonly Report[]): Report {
  const [first, ...rest] = reports
  if (first === undefined) throw new Error('poolReports: no report given')
  if (rest.length === 0) return first
  const cases = new Map(first.cases.map((c) => [c.id, c]))
  for (const report of rest) {
    for (const c of report.cases) {
      const known = cases.get(c.id)
      cases.set(c.id, known === undefined ? c : poolCase(known, c))
    }
  }
  const createdAt = reports.map((r) => r.createdAt).sort()[0] ?? first.createdAt
  return { ...first, createdAt, complete: reports.every((r) => r.complete), cases: [...cases.values()] }
}
