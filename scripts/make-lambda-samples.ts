/**
 * Derives the committed lambda phage samples from Debian's bowtie2-examples (genome NC_001416.1 and the first N
 * simulated reads), with provenance and manifests.
 *   npx tsx scripts/make-lambda-samples.ts [--reads 100] [--out-dir fixtures/samples] [--source-dir DIR]
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_LAMBDA_SOURCE_DIR, makeLambdaSamples } from '../plugin/data/index.ts'

const USAGE = `usage: npx tsx scripts/make-lambda-samples.ts [--reads N] [--out-dir DIR] [--source-dir DIR]
  --reads       reads to take from reads_1.fq (default 100)
  --out-dir     default fixtures/samples
  --source-dir  default ${DEFAULT_LAMBDA_SOURCE_DIR} (from apt-get install bowtie2-examples)`

const REPO_ROOT = resolve(import.meta.dirname, '..')

async function main(): Promise<void> {
  let values: { reads?: string; 'out-dir'?: string; 'source-dir'?: string; help?: boolean }
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        reads: { type: 'string' },
        'out-dir': { type: 'string' },
        'source-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (err) {
    console.error(`make-lambda-samples: ${(err as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(USAGE)
    return
  }
  const readsText = values.reads ?? '100'
  if (!/^[1-9]\d*$/.test(readsText)) {
    console.error(`make-lambda-samples: --reads must be a positive integer, got '${readsText}'\n${USAGE}`)
    process.exit(2)
  }
  const outDir = resolve(values['out-dir'] ?? resolve(REPO_ROOT, 'fixtures/samples'))
  const args = process.argv.slice(2).join(' ')
  const result = await makeLambdaSamples({
    outDir,
    reads: Number(readsText),
    repoRoot: REPO_ROOT,
    command: `npx tsx scripts/make-lambda-samples.ts${args ? ` ${args}` : ''}`,
    ...(values['source-dir'] !== undefined ? { sourceDir: values['source-dir'] } : {}),
  })
  console.log(JSON.stringify(result.provenance, null, 2))
}

main().catch((err: unknown) => {
  console.error(`make-lambda-samples: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
})
