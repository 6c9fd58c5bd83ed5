/** Where the published JSON Schema lives and its exact text, shared by the writer script and the freshness test. */
import { fileURLToPath } from 'node:url'
import { reportJsonSchema } from './schema.ts'

export const REPORT_SCHEMA_PATH = fileURLToPath(new URL('./report.schema.json', import.meta.url))

export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`
}
