/** A fresh directory per run: `<runsDir>/<timestamp>-<sample>-<mode>-<n>gpu-<rand>/` with `out/` for the pipeline. */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'

export interface RunPaths {
  id: string
  runDir: string
  outputDir: string
  stdout: string
  stderr: string
  command: string
  result: string
  timeline: string
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'sample'
}

export async function createRunDirectory(runsDir: string, sample: string, mode: string, gpuCount: number, outputDir?: string): Promise<RunPaths> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const id = `${stamp}-${slug(sample)}-${mode}-${gpuCount}gpu-${randomBytes(3).toString('hex')}`
  const runDir = path.resolve(runsDir, id)
  await mkdir(runDir, { recursive: true })
  const out = outputDir ? path.resolve(outputDir) : path.join(runDir, 'out')
  await ensureEmptyDirectory(out)
  const at = (name: string): string => path.join(runDir, name)
  return { id, runDir, outputDir: out, stdout: at('stdout.log'), stderr: at('stderr.log'), command: at('command.json'), result: at('result.json'), timeline: at('gpu-timeline.arrow') }
}

/** The pipeline silently reuses stale intermediates (contract caveat 4): refuse anything but an empty folder. */
async function ensureEmptyDirectory(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const entries = await readdir(dir)
  if (entries.length > 0) throw new Error(`output directory ${dir} is not empty (${entries.length} entries); runs need a fresh one (stale intermediates are silently reused)`)
}

