import { iamPattern } from "../../components/iam/audit";
import { iamMatcher } from "../../automation/policies/glob";

/*
 * The filter tests resource patterns without compiling iamPattern's
 * expression (glob.ts); each answer must be the expression's, for any
 * pattern and resource: wildcards, case, characters an expression treats
 * specially, and characters outside ASCII whose case folding differs.
 */

/** A small linear congruential generator: the same cases on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const text = (alphabet: readonly string[], max: number) =>
    Array.from(
      { length: Math.floor(next() * (max + 1)) },
      () => alphabet[Math.floor(next() * alphabet.length)],
    ).join("");
  /** A text the pattern may match: each wildcard filled in, and the case of some letters changed. */
  const filled = (pattern: string) =>
    [...pattern]
      .map((c) => (c === "*" ? text(CHARACTERS, 3) : c === "?" ? text(CHARACTERS, 1) : c))
      .map((c) => (next() < 0.3 ? c.toUpperCase() : next() < 0.3 ? c.toLowerCase() : c))
      .join("");
  return { text, filled };
}

const CHARACTERS = [
  ..."aAbBsSkK:/-._+()[]{}|^$\\\n",
  "é",
  "É",
  "ſ", // long s: upper-cases to S
  "\u212a", // Kelvin sign: lower-cases to k
  "ß",
  "ς",
  "σ",
  "Σ",
];

describe("iamMatcher", () => {
  it.each(["i", "is"] as const)(
    "answers as iamPattern's expression with flags %s for every pattern and text",
    (flags) => {
      const g = generator(20261130);
      const differing: string[] = [];
      let matched = 0;
      for (let i = 0; i < 20000; i++) {
        const pattern = g.text([...CHARACTERS, "*", "*", "?"], 7);
        const text =
          i % 3 === 0
            ? g.filled(pattern)
            : g.text(i % 3 === 1 ? ["a", "b", "A", "*", "?"] : CHARACTERS, 9);
        const expected = iamPattern(pattern, flags).test(text);
        // asked twice: the second answer is the remembered one
        const answers = [iamMatcher(pattern, flags)(text), iamMatcher(pattern, flags)(text)];
        if (answers.some((a) => a !== expected)) {
          differing.push(`${JSON.stringify(pattern)} ${JSON.stringify(text)}: ${expected}`);
        }
        if (expected) matched++;
      }
      expect(differing.slice(0, 5)).toEqual([]);
      // and the cases match often enough to tell
      expect(matched).toBeGreaterThan(3000);
    },
  );

  it.each([
    ["arn:aws:s3:::bucket/*", "ARN:AWS:S3:::BUCKET/app/x", true],
    ["arn:aws:s3:::bucket/*/x", "arn:aws:s3:::bucket/a/x/b/x", true],
    ["arn:aws:s3:::bucket/*/x", "arn:aws:s3:::bucket/a/x/b", false],
    ["arn:aws:s3:::b?cket", "arn:aws:s3:::bucket", true],
    ["arn:aws:s3:::b?cket", "arn:aws:s3:::bcket", false],
    ["arn:aws:s3:::*a*a*a", "arn:aws:s3:::aaaaaaaaaaaaaaaaaaaaaab", false],
    ["arn:aws:s3:::b.x", "arn:aws:s3:::bax", false],
    ["arn:aws:s3:::b*", "arn:aws:s3:::b/\n", true],
    // the runs between `*`s: in order, none overlapping another or the ends
    ["arn:aws:s3:::ab*ba", "arn:aws:s3:::aba", false],
    ["arn:aws:s3:::a*bc*c", "arn:aws:s3:::abc", false],
    ["arn:aws:s3:::a*bc*c", "arn:aws:s3:::abcc", true],
    ["arn:aws:s3:::a*b*b*c", "arn:aws:s3:::abxbc", true],
    ["arn:aws:s3:::a*b*b*c", "arn:aws:s3:::abc", false],
    ["arn:aws:logs:*:1:log-group:/x/dev-*", "arn:aws:logs:us-east-1:1:log-group:/x/prod-f", false],
    ["arn:aws:logs:*:1:log-group:/x/dev-*", "arn:aws:logs:us-east-1:1:log-group:/x/DEV-f", true],
  ])("matches resource %s to %s: %s", (pattern, resource, expected) => {
    expect(iamMatcher(pattern, "is")(resource)).toBe(expected);
    expect(iamPattern(pattern, "is").test(resource)).toBe(expected);
  });

  it.each([
    ["Get*", "GetObjectAcl", true],
    ["get?bject", "GetObject", true],
    ["*Object", "PutObjectAcl", false],
    ["b*", "b\n", false],
  ])("matches action %s to %s: %s", (pattern, action, expected) => {
    expect(iamMatcher(pattern, "i")(action)).toBe(expected);
    expect(iamPattern(pattern, "i").test(action)).toBe(expected);
  });
});
