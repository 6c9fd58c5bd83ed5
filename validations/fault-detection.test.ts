import { committed, expectFaultCaught } from '../plugin/index.ts'

// Each failure mode the real VirNucPro had (contract §6) is injected into the reference pipeline and must be caught
// with the right verdict and a message that names the problem.
const sample = committed('fixtures/samples/synth-tiny-fixed500-s42.fa')
const reference = 'fixtures/reference/synth-tiny-fixed500-s42'

expectFaultCaught('empty-merged', { sample, reference, expect: { verdict: 'fail', names: /has \d+ ids but 0 rows/ } })
expectFaultCaught('drop-rows', { sample, reference, expect: { verdict: 'fail', names: /missing/i } })
expectFaultCaught('duplicate-rows', { sample, reference, expect: { verdict: 'fail', names: /repeats \d+ Sequence_IDs|duplicate/i } })
expectFaultCaught('nan-embeddings', { sample, reference, expect: { verdict: 'fail', names: /NaN/ } })
expectFaultCaught('shuffle-ids', { sample, reference, expect: { verdict: 'fail', names: /cosine min/ } })
expectFaultCaught('wrong-model', { sample, reference, expect: { verdict: 'fail', names: /label agreement .* a different model/ } })
expectFaultCaught('perturb:1e-6', { sample, reference, expect: { verdict: 'pass', names: /^$/ } })
expectFaultCaught('perturb:1e-2', { sample, reference, expect: { verdict: 'warn', names: /first diverg|DNABERT-S: \d+ of/ } })
expectFaultCaught('crash-at:FEATURE_MERGING', { sample, reference, expect: { verdict: 'fail', names: /merged files.*missing|missing/ } })
