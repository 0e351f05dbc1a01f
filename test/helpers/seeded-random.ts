/** Deterministic pseudo-random numbers in [0, 1) from a seed, for randomized tests and benchmark data: the generator training uses. */
export { seededRandom } from '../../src-main/core/training/random'
