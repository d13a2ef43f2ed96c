import { iamPattern } from "../../components/iam/audit";

/*
 * IAM patterns (`*` any run, `?` one character, in any case) tested as
 * iamPattern's case-insensitive regular expressions test them, without
 * compiling one when pattern and text are ASCII. V8 compiles an expression on
 * its first test and again, to machine code, on its second: some 30 µs for an
 * action pattern and 70 µs for an ARN pattern, more than the plan's rules
 * then spend testing it. They test a few hundred patterns, each against a
 * few dozen actions or ARNs.
 */

const STAR = 42; // *
const ANY = 63; // ?
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Whether `text` is matched by `pattern` whose every `*` is any run and every
 * `?` any one character, the rest compared as they are: what `^…$` of
 * iamPattern matches where `.` matches every character of the text. Each
 * mismatch after a `*` lets that `*` take one more character; an earlier `*`
 * never has to, since whatever it would take the later one can.
 */
function matches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let taken = 0;
  while (t < text.length) {
    const c = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (c === STAR) {
      star = p++;
      taken = t;
    } else if (c !== -1 && (c === ANY || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++taken;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

/**
 * The text last tested, upper-cased, and whether it is plain (ASCII, no line
 * break) or ASCII with a line break: a statement's patterns are tested one
 * after another against the same resource, so this is worked out once for
 * all of them.
 */
let lastText = "";
let lastUpper = "";
let lastPlain = true;
let lastAscii = true;

/** A character that is not ASCII, or is a line break `.` does not match without `s`. */
const NOT_PLAIN = /[^\x00-\x09\x0b\x0c\x0e-\x7f]/;

/**
 * Whether `text` holds `parts` in order, none overlapping, the first at its
 * start and the last at its end: a match of the pattern they are the literal
 * runs of, split at each `*`, when it has no `?` (with no `*`, the one run is
 * the text). Each run in between is taken where it first occurs after the
 * one before: a match that places it later leaves less text for the runs
 * after it, never more.
 */
function holdsInOrder(parts: readonly string[], text: string): boolean {
  const last = parts.length - 1;
  const head = parts[0]!;
  if (last === 0) return text === head;
  const tail = parts[last]!;
  if (text.length < head.length + tail.length || !text.startsWith(head) || !text.endsWith(tail)) {
    return false;
  }
  let at = head.length;
  const end = text.length - tail.length;
  for (let i = 1; i < last; i++) {
    const part = parts[i]!;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** Each pattern's test, per flags: the rules ask of the same patterns again. */
const tests = new Map<string, (text: string) => boolean>();

/**
 * `iamPattern(pattern, flags).test` as a function, the same answer for every
 * text: `i` for actions, `is` for resources. Ignoring case without the `u`
 * flag folds ASCII letters to upper case and folds nothing else onto ASCII,
 * so upper-casing an ASCII pattern and text compares them alike; and without
 * `s`, `.` matches every ASCII character but a line break. Anything else is
 * left to the expression.
 *
 * A pattern with `*` and no `?` is its literal runs in order (holdsInOrder),
 * found by the string functions rather than a character at a time: most
 * texts a pattern is asked about are another environment's ARN, told apart
 * in a run. A pattern with `?` is compared a character at a time (matches).
 * No answer is remembered: the test costs less than looking one up.
 */
export function iamMatcher(pattern: string, flags: "i" | "is"): (text: string) => boolean {
  const key = `${flags}/${pattern}`;
  let test = tests.get(key);
  if (test === undefined) {
    const upper = pattern.toUpperCase();
    const ascii = ASCII.test(pattern);
    const parts = upper.includes("?") ? undefined : upper.split("*");
    const lineBreaks = flags === "i";
    test = (text) => {
      if (text !== lastText) {
        lastText = text;
        lastUpper = text.toUpperCase();
        lastPlain = !NOT_PLAIN.test(text);
        lastAscii = lastPlain || ASCII.test(text);
      }
      if (!ascii || !(lastPlain || (lastAscii && !lineBreaks))) {
        return iamPattern(pattern, flags).test(text);
      }
      return parts === undefined ? matches(upper, lastUpper) : holdsInOrder(parts, lastUpper);
    };
    tests.set(key, test);
  }
  return test;
}
