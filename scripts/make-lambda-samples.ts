/**
 * Derives the committed lambda phage samples from Debian's bowtie2-examples (genome NC_001416.1 and the first N
 * simulated reads), with provenance and manifests.
 *   npx tsx scripts/make-lambda-samples.ts [--reads 100] [--out-dir fixtures/samples] [--source-dir DIR]
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { runScript, UsageError } from './cli-support.ts'
import { DEFAULT_LAMBDA_SOURCE_DIR, makeLambdaSamples } from '../plugin/data/index.ts'

const USAGE = `usage: npx tsx scripts/make-lambda-samples.ts [--reads N] [--out-dir DIR] [--source-dir DIR]
  --reads       reads to take from reads_1.fq (default 100)
  --out-dir     default fixtures/samples
  --source-dir  default ${DEFAULT_LAMBDA_SOURCE_DIR} (from apt-get install bowtie2-examples)`

const REPO_ROOT = resolve(import.meta.dirname, '..')

interface Command {
  help: boolean
  reads: number
  outDir: string
  sourceDir: string | undefined
}

function parseCommandLine(argv: string[]): Command {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      reads: { type: 'string' },
      'out-dir': { type: 'string' },
      'source-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const readsText = values.reads ?? '100'
  if (!/^[1-9]\d*$/.test(readsText)) throw new UsageError(`--reads must be a positive integer, got '${readsText}'`)
  return {
    help: values.help ?? false,
    reads: Number(readsText),
    outDir: resolve(values['out-dir'] ?? resolve(REPO_ROOT, 'fixtures/samples')),
    sourceDir: values['source-dir'],
  }
}

runScript('make-lambda-samples', USAGE, parseCommandLine, async (command) => {
  if (command.help) {
    console.log(USAGE)
    return
  }
  const args = process.argv.slice(2).join(' ')
  const result = await makeLambdaSamples({
    outDir: command.outDir,
    reads: command.reads,
    repoRoot: REPO_ROOT,
    command: `npx tsx scripts/make-lambda-samples.ts${args ? ` ${args}` : ''}`,
    ...(command.sourceDir !== undefined ? { sourceDir: command.sourceDir } : {}),
  })
  console.log(JSON.stringify(result.provenance, null, 2))
})
