/** The rows of VirNucPro's two tab-separated outputs (contract §2.3/2.4), apart from the readers so the column tables can use them. */

/** One line of `prediction_results.txt`: per ORF frame. */
export interface PredictionRow {
  sequenceId: string
  prediction: 'virus' | 'others'
  /** softmax P(others) */
  score1: number
  /** softmax P(virus) */
  score2: number
}

/** One line of the optimised 4-column `prediction_results_highestscore.csv`. */
export interface HighestScoreRow {
  modifiedId: string
  isVirus: boolean
  maxScore0: number
  maxScore1: number
}

/** One line of the vanilla 2-column `prediction_results_highestscore.csv` (no scores). */
export interface VanillaHighestScoreRow {
  modifiedId: string
  isVirus: boolean
}

export type HighestScoreFile =
  | { form: 'optimised'; rows: HighestScoreRow[] }
  | { form: 'vanilla'; rows: VanillaHighestScoreRow[] }
