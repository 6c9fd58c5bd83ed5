/**
 * inspect FILE [--json] [--summary]
 * Prints what a .pt, .arrow, prediction_results*.{txt,csv} or FASTA file holds. Logic lives in plugin/io.
 * Exit codes: 0 ok, 1 unreadable/refused file (one line on stderr), 2 usage error.
 */
import { inspectFile } from '../plugin/io/inspect/describe.ts'

const USAGE = 'usage: inspect FILE [--json] [--summary]'

interface Args { file: string; json: boolean; summary: boolean }

function parseArgs(argv: readonly string[]): Args | string {
  let file: string | undefined
  let json = false
  let summary = false
  for (const a of argv) {
    if (a === '--json') json = true
    else if (a === '--summary') summary = true
    else if (a === '-h' || a === '--help') return USAGE
    else if (a.startsWith('-') && a !== '-') return `unknown option ${a}\n${USAGE}`
    else if (file === undefined) file = a
    else return `only one FILE expected\n${USAGE}`
  }
  return file === undefined ? `missing FILE\n${USAGE}` : { file, json, summary }
}

/** Writes to stdout honouring back-pressure: stdout to a pipe is asynchronous and would otherwise buffer everything. */
async function writeStdout(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()))
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2))
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`)
    return 2
  }
  try {
    await inspectFile(args.file, { json: args.json, summary: args.summary }, writeStdout)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    process.stderr.write(`inspect: ${msg.split('\n')[0]}\n`)
    return 1
  }
  return 0
}

process.exitCode = await main()
