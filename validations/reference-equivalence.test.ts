import { committed, validateAgainstReference, validateAgainstFreshVanilla } from '../plugin/index.ts'

// The optimised pipeline must compute what the vanilla pipeline computed: predictions, embeddings and consensus
// within rtol 1e-3 of the committed references (made with `npx tsx scripts/make-reference.ts`).
const samples = ['synth-tiny-fixed500-s42', 'synth-small-fixed500-s42', 'synth-tiny-fixed300-s42', 'lambda-reads-100']

for (const name of samples) {
  validateAgainstReference(`${name} matches its vanilla reference`, {
    sample: committed(`fixtures/samples/${name}.fa`),
    reference: `fixtures/reference/${name}`,
  })
}

validateAgainstFreshVanilla('small sample: optimised vs a fresh vanilla run', {
  sample: committed('fixtures/samples/synth-small-fixed500-s42.fa'),
})
