// Prints the plain closing line CI reads ("N passed, N failed[, N skipped]") from Vitest's JSON report.
import { readFileSync, existsSync } from 'node:fs'

const path = process.argv[2] ?? 'reports/test-results.json'
if (!existsSync(path)) {
  console.log(`no test results at ${path} (the type check or Vitest itself failed before any test ran)`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}
const results = JSON.parse(readFileSync(path, 'utf8'))
const passed = results.numPassedTests ?? 0
const failed = (results.numFailedTests ?? 0) + (results.numFailedTestSuites ?? 0)
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 ? 1 : 0)
