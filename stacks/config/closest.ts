import { distance } from "fastest-levenshtein";

/**
 * The candidates nearest to `word` first, by edit distance (Levenshtein) of
 * their lower-case spellings; candidates equally near keep their order. Config
 * keys, config values and CLI commands and flags all name their closest valid
 * spelling this way.
 */
export function byCloseness(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  return candidates
    .map((candidate, i) => ({ candidate, i, d: distance(lower, candidate.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((c) => c.candidate);
}

/** The candidate nearest to `word`, or undefined when there is none. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  return byCloseness(word, candidates)[0];
}

/**
 * The candidates spelt like `word`: at most a third of a candidate's letters
 * apart (a typo, not another word), nearest first.
 */
export function spelledLike(word: string, candidates: readonly string[]): string[] {
  return byCloseness(word, candidates).filter(
    (c) => distance(word.toLowerCase(), c.toLowerCase()) <= Math.ceil(c.length / 3),
  );
}
