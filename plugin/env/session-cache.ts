/**
 * What every case of one Vitest session would otherwise find again (the Python that imports torch, the machine's
 * environment, the GPU ceiling): found once, kept in `<dir>/<sessionId>/<name>.json`, read by later cases in
 * other worker processes. Scoped to the session, so nothing found is trusted beyond the run that found it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'

export async function sessionCached<T extends z.ZodType>(dir: string, sessionId: string, name: string, schema: T, find: () => Promise<z.output<T>>): Promise<{ value: z.output<T>; cached: boolean }> {
  const file = join(dir, sessionId.replace(/[^A-Za-z0-9._-]+/g, '_'), `${name}.json`)
  try {
    const parsed = schema.safeParse(JSON.parse(await readFile(file, 'utf8')))
    if (parsed.success) return { value: parsed.data, cached: true }
  } catch {
    // Missing or unreadable: find it again (and replace the file).
  }
  const value = await find()
  await mkdir(join(file, '..'), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, `${JSON.stringify(value)}\n`)
  await rename(temporary, file)
  return { value, cached: false }
}
