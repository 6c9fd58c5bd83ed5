/** Reads the first error lines of a log file line by line (a 45-hour run's log is never loaded whole). */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { ErrorLineCollector } from './error-lines.ts'

export async function readErrorLines(path: string, max = 5): Promise<string[]> {
  const collector = new ErrorLineCollector(max)
  try {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
    for await (const line of lines) {
      if (collector.add(line)) {
        lines.close()
        break
      }
    }
  } catch {
    return collector.lines
  }
  return collector.lines
}
