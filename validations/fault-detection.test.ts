import { committed, expectFaultCaught } from '../plugin/index.ts'

// Each failure mode the real VirNucPro had (contract §6) is injected into the reference pipeline and must be caught
// with the right verdict and the findings that name it (by finding code; the messages are for people).
const sample = committed('fixtures/samples/synth-tiny-fixed500-s42.fa')
const reference = 'fixtures/reference/synth-tiny-fixed500-s42'

expectFaultCaught('empty-merged', { sample, reference, expect: { verdict: 'fail', findings: ['merged-rows-mismatch'] } })
expectFaultCaught('drop-rows', { sample, reference, expect: { verdict: 'fail', findings: ['reference-missing-ids'] } })
expectFaultCaught('duplicate-rows', { sample, reference, expect: { verdict: 'fail', findings: ['duplicate-ids'] } })
expectFaultCaught('nan-embeddings', { sample, reference, expect: { verdict: 'fail', findings: ['non-finite'] } })
expectFaultCaught('shuffle-ids', { sample, reference, expect: { verdict: 'fail', findings: ['tolerance'] } })
expectFaultCaught('wrong-model', { sample, reference, expect: { verdict: 'fail', findings: ['tolerance', 'consensus-disagreement'] } })
expectFaultCaught('perturb:1e-6', { sample, reference, expect: { verdict: 'pass', findings: 'none' } })
expectFaultCaught('perturb:1e-2', { sample, reference, expect: { verdict: 'warn', findings: ['numerical-variance', 'first-divergence'], divergesAt: 'dnabert' } })
expectFaultCaught('crash-at:FEATURE_MERGING', { sample, reference, expect: { verdict: 'fail', findings: ['missing-output', 'nonzero-exit'] } })
