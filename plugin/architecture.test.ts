import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The layering rules of the README's architecture section, checked on the import graph of plugin/ (test files
 * excluded: they may use Vitest and fixtures). Imports are found with a regex over the source text, which is
 * enough for this code base: every import is a static `import … from '…'` or `export … from '…'`.
 */
const PLUGIN = import.meta.dirname
const ROOT = resolve(PLUGIN, '..')

/** Module specifiers of static imports and re-exports, including type-only ones (a type circle is still a circle). */
const IMPORT = /^\s*(?:import|export)\s[^'"]*?\sfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : sourceFiles(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

interface Module {
  /** Path relative to the repository root, e.g. plugin/compare/core/ids.ts. */
  path: string
  /** Other plugin modules it imports (relative to the root), type-only imports included. */
  local: string[]
  /** The local imports that load code at run time (not `import type`/`export type`): what a layer really pulls in. */
  runtime: string[]
  /** Package and node: specifiers it imports. */
  external: string[]
}

export function readModules(files: readonly string[]): Map<string, Module> {
  const modules = new Map<string, Module>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const local: string[] = []
    const runtime: string[] = []
    const external: string[] = []
    for (const m of text.matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2]) as string
      const typeOnly = /^\s*(?:import|export)\s+type\s/.test(m[0])
      if (spec.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(file), spec))
        local.push(target)
        if (!typeOnly) runtime.push(target)
      } else if (!typeOnly) external.push(spec)
    }
    const path = relative(ROOT, file)
    modules.set(path, { path, local, runtime, external })
  }
  return modules
}

/** Every import circle, each as the path of modules that closes it (a plain depth-first search: the graph is small). */
export function findCycles(modules: ReadonlyMap<string, Module>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (path: string): void => {
    state.set(path, 'open')
    stack.push(path)
    for (const next of modules.get(path)?.local ?? []) {
      if (!modules.has(next)) continue
      const s = state.get(next)
      if (s === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
      else if (s === undefined) visit(next)
    }
    stack.pop()
    state.set(path, 'done')
  }
  for (const path of [...modules.keys()].sort()) if (!state.has(path)) visit(path)
  return cycles
}

/** What a layer may not import: test runners and process spawning everywhere pure, file access where no I/O is allowed. */
const TEST_AND_PROCESS = [/^vitest(\/|$)/, /^execa$/, /^(node:)?child_process$/]
const FILE_ACCESS = [/^(node:)?fs(\/promises)?$/]
const RULES: ReadonlyArray<{ layer: string; why: string; forbidden: readonly RegExp[] }> = [
  { layer: 'plugin/report/', why: 'report → files: formats and writes, no Vitest, no processes', forbidden: TEST_AND_PROCESS },
  { layer: 'plugin/analysis/', why: 'pure computation', forbidden: [...TEST_AND_PROCESS, ...FILE_ACCESS] },
  { layer: 'plugin/compare/core/', why: 'pure comparison math', forbidden: [...TEST_AND_PROCESS, ...FILE_ACCESS] },
]

/** Imports that break a layer's rule, as "module imports specifier (why)"; local imports are followed transitively. */
export function layerViolations(modules: ReadonlyMap<string, Module>): string[] {
  const out: string[] = []
  for (const rule of RULES) {
    for (const start of [...modules.keys()].filter((p) => p.startsWith(rule.layer)).sort()) {
      // Walk what the module pulls in: a pure module that imports an I/O one is no longer pure.
      const seen = new Set<string>()
      const queue = [start]
      while (queue.length > 0) {
        const path = queue.shift() as string
        if (seen.has(path)) continue
        seen.add(path)
        const module = modules.get(path)
        if (module === undefined) continue
        for (const spec of module.external) {
          if (rule.forbidden.some((re) => re.test(spec))) {
            const via = path === start ? '' : ` via ${path}`
            out.push(`${start} imports ${spec}${via} (${rule.layer}: ${rule.why})`)
          }
        }
        queue.push(...module.runtime)
      }
    }
  }
  return out
}

describe('plugin/ layering', () => {
  const modules = readModules(sourceFiles(PLUGIN))

  it('reads the import graph (sanity: the regex finds imports)', () => {
    expect(modules.size).toBeGreaterThan(100)
    expect(modules.get('plugin/compare/compare-outputs.ts')?.local).toContain('plugin/compare/core/verdict.ts')
  })

  it('has no import circle', () => {
    expect(findCycles(modules).map((c) => c.join(' → '))).toEqual([])
  })

  it('keeps report/, analysis/ and compare/core/ free of what their layer forbids', () => {
    expect(layerViolations(modules)).toEqual([])
  })

  it('would catch a circle and a forbidden import (the checks can fail)', () => {
    const fake = new Map<string, Module>([
      ['plugin/analysis/a.ts', { path: 'plugin/analysis/a.ts', local: ['plugin/io/b.ts'], runtime: ['plugin/io/b.ts'], external: [] }],
      ['plugin/io/b.ts', { path: 'plugin/io/b.ts', local: ['plugin/analysis/a.ts'], runtime: [], external: ['node:fs/promises'] }],
    ])
    expect(findCycles(fake)).toEqual([['plugin/analysis/a.ts', 'plugin/io/b.ts', 'plugin/analysis/a.ts']])
    expect(layerViolations(fake)).toEqual(['plugin/analysis/a.ts imports node:fs/promises via plugin/io/b.ts (plugin/analysis/: pure computation)'])
  })
})
