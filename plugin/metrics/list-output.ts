/** Lists a run's output folder (relative paths, hidden folders included) for the output inventory. */
import { readdir } from 'node:fs/promises'
import { relative } from 'node:path'

export async function listOutputFiles(root: string, maxFiles = 100_000): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((e) => e.isFile())
    .slice(0, maxFiles)
    .map((e) => relative(root, `${e.parentPath}/${e.name}`))
}
