import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
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
})
