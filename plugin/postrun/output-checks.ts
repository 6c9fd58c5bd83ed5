/**
 * Checks a finished run's outputs against each other and against what its logs and state file say (contract §6:
 * empty outputs, duplicated or missing rows, NaN scores, stages that never completed). Pure: counts in, checks out.
 */
import type { OutputCheck, OutputInventory } from '../model/run-result.ts'
import type { StageStatus } from '../metrics/pipeline-state.ts'
import { STAGES, STAGE_TITLES, type Stage } from '../model/stages.ts'

export interface TableFacts {
  rows: number
  uniqueIds: number
  /** Rows whose scores are not finite numbers. */
  nonFiniteScores: number
}

export interface OutputFacts {
  inventory: OutputInventory
  predictions: TableFacts | null
  consensus: TableFacts | null
  /** ORF frames the logs announce (`Index: N sequences`, DNABERT-S saves): what the predictions should have. */
  expectedFrames: number | null
  /** `Found N sequences with valid ORFs`: the consensus row count. */
  expectedConsensus: number | null
  /** Per stage, from the state file; null without one. */
  stageStatus: Partial<Record<Stage, StageStatus>> | null
}

function check(name: string, status: OutputCheck['status'], detail: string): OutputCheck {
  return { check: name, status, detail }
}

export function outputChecks(f: OutputFacts): OutputCheck[] {
  const out: OutputCheck[] = []
  if (f.stageStatus === null) out.push(check('all stages completed', 'not-checked', 'no .checkpoints/pipeline_state.json'))
  else {
    const open = STAGES.filter((s) => f.stageStatus?.[s] !== undefined && f.stageStatus[s] !== 'completed')
    const missing = STAGES.filter((s) => f.stageStatus?.[s] === undefined)
    if (open.length === 0 && missing.length === 0) out.push(check('all stages completed', 'ok', 'all 9 stages completed in pipeline_state.json'))
    else out.push(check('all stages completed', 'fail', [...open.map((s) => `${STAGE_TITLES[s]}: ${f.stageStatus?.[s]}`), ...missing.map((s) => `${STAGE_TITLES[s]}: not in the state file`)].join('; ')))
  }
  const p = f.predictions
  if (p === null) out.push(check('prediction rows', 'fail', 'no prediction_results.txt'))
  else {
    out.push(p.rows > 0 ? check('prediction rows', 'ok', `${p.rows} rows`) : check('prediction rows', 'fail', 'prediction_results.txt has a header and no rows (§6.12 empty outputs)'))
    out.push(p.uniqueIds === p.rows ? check('unique prediction IDs', 'ok', `${p.uniqueIds} unique Sequence_IDs`) : check('unique prediction IDs', 'fail', `${p.rows - p.uniqueIds} duplicated Sequence_ID rows (§6.3)`))
    out.push(p.nonFiniteScores === 0 ? check('finite scores', 'ok', 'every score is a finite number') : check('finite scores', 'fail', `${p.nonFiniteScores} rows with NaN/Inf scores`))
    if (f.expectedFrames === null) out.push(check('predictions = ORF frames', 'not-checked', 'the logs announce no ORF frame count'))
    else out.push(p.rows === f.expectedFrames ? check('predictions = ORF frames', 'ok', `${p.rows} = ${f.expectedFrames} from the log`) : check('predictions = ORF frames', 'fail', `${p.rows} prediction rows, the log announces ${f.expectedFrames} ORF frames (§6.1, §6.2)`))
  }
  const c = f.consensus
  if (c === null) out.push(check('consensus rows', 'fail', 'no prediction_results_highestscore.csv'))
  else {
    out.push(c.uniqueIds === c.rows ? check('consensus rows', 'ok', `${c.rows} rows, IDs unique`) : check('consensus rows', 'fail', `${c.rows - c.uniqueIds} duplicated Modified_ID rows`))
    if (f.expectedConsensus !== null) {
      out.push(c.rows === f.expectedConsensus ? check('consensus = chunks with ORFs', 'ok', `${c.rows} = ${f.expectedConsensus} ("Found N sequences with valid ORFs")`) : check('consensus = chunks with ORFs', 'fail', `${c.rows} consensus rows, the log found ${f.expectedConsensus} sequences with valid ORFs`))
    }
  }
  if (f.inventory.doneMarkersWithoutFile > 0) {
    out.push(check('feature files present', 'warn', `${f.inventory.doneMarkersWithoutFile} .pt.done markers without their .pt file (a capture that did not keep the .pt files, or a half-written run); embeddings not checked`))
  }
  return out
}
