import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { REPORT_SCHEMA_PATH, reportJsonSchemaText } from './json-schema-file.ts'
import { parseReport, ReportSchema } from './schema.ts'
import { buildScalingCase } from '../test-support/builders.ts'
import { buildTestReport } from '../test-support/reports.ts'

describe('ReportSchema', () => {
  it('the committed report.schema.json is up to date (run `npx tsx scripts/write-schema.ts`)', () => {
    expect(readFileSync(REPORT_SCHEMA_PATH, 'utf8')).toBe(reportJsonSchemaText())
  })
  it('accepts a built report and survives a JSON round trip', () => {
    const report = buildTestReport([buildScalingCase()])
    expect(ReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report)
  })
  it('names the bad field', () => {
    const report = JSON.parse(JSON.stringify(buildTestReport([buildScalingCase()]))) as { cases: { runs: { wallSeconds: unknown }[] }[] }
    const run = report.cases[0]?.runs[1]
    if (run) run.wallSeconds = 'slow'
    expect(() => parseReport(report, 'new.json')).toThrow(/new\.json is not a valid report: cases\.0\.runs\.1\.wallSeconds: .*number/)
  })
})
