/**
 * What a run was, in one sentence for the reports: above all what "vanilla" meant, because for the real tool the
 * default vanilla run is its own v1 path (FP16 ESM-2), not the original pipeline. Pure.
 */
import type { RunResult } from '../model/run-result.ts'

function claimOf(run: RunResult, topic: RunResult['claims'][number]['topic']): RunResult['claims'][number] | undefined {
  return run.claims.find((c) => c.topic === topic)
}

function precisionText(run: RunResult): string {
  const esm = run.claims.find((c) => c.topic === 'precision' && c.observed !== null)
  const dtype = esm?.observed === null || esm?.observed === undefined ? null : /dtype=(\w+)/.exec(esm.observed)?.[1]
  return dtype === null || dtype === undefined ? 'precision not logged' : `ESM-2 in ${dtype} (its log's \`dtype=\`)`
}

function configText(run: RunResult): string {
  const c = run.effectiveConfig
  if (c === null) return 'model and chunk length not recorded'
  return `model ${c.model ?? 'unknown'}, chunk length ${c.chunkLength ?? 'unknown'} (${c.source})`
}

/** True when the vanilla run was the user's `target.vanillaCommand` rather than `python -m virnucpro predict`. */
function isCustomVanilla(run: RunResult): boolean {
  return !(run.command[1] === '-m' && run.command[2] === 'virnucpro')
}

export function describeRun(run: RunResult): string {
  const gpus = run.gpuCount === 0 ? 'CPU' : `${run.gpuCount} GPU${run.gpuCount === 1 ? '' : 's'}`
  const arch = claimOf(run, 'architecture')?.claimed ?? null
  if (run.target.kind === 'virnucpro') {
    if (run.mode === 'vanilla') {
      if (isCustomVanilla(run)) return `vanilla = target.vanillaCommand \`${run.command.join(' ')}\` on ${gpus}; ${configText(run)}`
      return (
        `vanilla = the tool's own v1 path (\`predict\` without \`--parallel\`, ${gpus}${arch === null ? '' : `, ${arch}`}), ${precisionText(run)}: ` +
        `not the original pipeline (set target.vanillaCommand for that); ${configText(run)}`
      )
    }
    return `optimised = the tool's v2 path (\`--parallel\`, ${gpus}${arch === null ? '' : `, ${arch}`}), ${precisionText(run)}; ${configText(run)}`
  }
  if (run.mode === 'vanilla') return `vanilla = the reference pipeline's --vanilla mode (fp32, the original batching, models reloaded per split file) on ${gpus}; ${configText(run)}`
  return `optimised = the reference pipeline's optimised mode on ${gpus}, ${precisionText(run)}; ${configText(run)}`
}
