import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { identify } from '../pipeline/process-identity.ts'
import { sessionCached } from './session-cache.ts'

const Schema = z.object({ torch: z.string() })

describe('sessionCached', () => {
  it('finds once per session, then reads; another session finds again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-cache-'))
    let finds = 0
    const find = async () => ({ torch: `2.${++finds}` })
    expect(await sessionCached(dir, 's1', 'python', Schema, find)).toEqual({ value: { torch: '2.1' }, cached: false })
    expect(await sessionCached(dir, 's1', 'python', Schema, find)).toEqual({ value: { torch: '2.1' }, cached: true })
    expect(await sessionCached(dir, 's2', 'python', Schema, find)).toEqual({ value: { torch: '2.2' }, cached: false })
  })
  it('a corrupt entry is found again, not trusted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-cache-'))
    await sessionCached(dir, 's', 'python', Schema, async () => ({ torch: '1.13' }))
    await writeFile(join(dir, 's', 'python.json'), '{"torch": 5}')
    expect(await sessionCached(dir, 's', 'python', Schema, async () => ({ torch: '2.11' }))).toEqual({ value: { torch: '2.11' }, cached: false })
  })
  it('waits for another process that is finding it instead of finding it twice (the main process prefetches)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-cache-'))
    await mkdir(join(dir, 's'), { recursive: true })
    // A live process holds the marker (our parent stands in for the Vitest main process) and writes the result later.
    await writeFile(join(dir, 's', 'python.json.pending'), JSON.stringify(identify(process.ppid)))
    setTimeout(() => void writeFile(join(dir, 's', 'python.json'), '{"torch": "2.11"}'), 150)
    let finds = 0
    const got = await sessionCached(dir, 's', 'python', Schema, async () => ({ torch: `found ${++finds}` }))
    expect(got).toEqual({ value: { torch: '2.11' }, cached: true })
    expect(finds).toBe(0)
  })
  it('takes over the marker of a process that is gone, and leaves no marker behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-cache-'))
    await mkdir(join(dir, 's'), { recursive: true })
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
    await writeFile(join(dir, 's', 'python.json.pending'), JSON.stringify({ pid: Number(gone), startTime: null }))
    expect(await sessionCached(dir, 's', 'python', Schema, async () => ({ torch: '2.11' }))).toEqual({ value: { torch: '2.11' }, cached: false })
    expect(await readdir(join(dir, 's'))).toEqual(['python.json'])
  })
  it('a finder that failed removes its marker: the next caller finds it (and reports its own error)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'session-cache-'))
    await expect(sessionCached(dir, 's', 'python', Schema, async () => Promise.reject(new Error('no torch')))).rejects.toThrow('no torch')
    expect(await readdir(join(dir, 's'))).toEqual([])
    expect(await sessionCached(dir, 's', 'python', Schema, async () => ({ torch: '2.11' }))).toEqual({ value: { torch: '2.11' }, cached: false })
  })
})
