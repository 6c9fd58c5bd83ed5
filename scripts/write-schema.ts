/** npx tsx scripts/write-schema.ts: publishes ReportSchema as JSON Schema to plugin/report/report.schema.json. */
import { writeFileAtomic } from '../plugin/io/files.ts'
import { REPORT_SCHEMA_PATH, reportJsonSchemaText } from '../plugin/report/json-schema-file.ts'

await writeFileAtomic(REPORT_SCHEMA_PATH, reportJsonSchemaText())
process.stdout.write(`wrote ${REPORT_SCHEMA_PATH}\n`)
