/** Reads the first error lines of a log file line by line (a 45-hour run's log is never loaded whole). */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { firstErrorLines } from './error-lines.ts'

export async function readErrorLines(path: string, max = 5): Promise<string[]> {
  const found: string[] = []
  try {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
    for await (const line of lines) {
      for (const hit of firstErrorLines(line, 1)) if (!found.includes(hit)) found.push(hit)
      if (found.length >= max) {
        lines.close()
        break
      }
    }
  } catch {
    return found
  }
  return found
}
