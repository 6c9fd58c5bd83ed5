/**
 * What every script in scripts/ does the same way: a bad command line exits 2 with the message and the usage text,
 * any other error exits 1 with one line naming the script (no stack trace for a user's mistake).
 */

/** A command-line mistake the user can fix; printed with the usage text. */
export class UsageError extends Error {}

/** node:util parseArgs' own errors (unknown option, missing value) are usage errors too. */
export function isParseArgsError(err: unknown): err is Error {
  return err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')
}

/** Parses argv with `parse`, then runs `run`; sets the exit code as described above. */
export function runScript<T>(name: string, usage: string, parse: (argv: string[]) => T, run: (command: T) => Promise<void>): void {
  let command: T
  try {
    command = parse(process.argv.slice(2))
  } catch (err) {
    if (err instanceof UsageError || isParseArgsError(err)) {
      console.error(`${name}: ${err.message}\n${usage}`)
      process.exit(2)
    }
    throw err
  }
  run(command).catch((err: unknown) => {
    console.error(`${name}: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  })
}
