import { iamPattern } from "../../components/iam/audit";

/*
 * Resource patterns (`*` any run, `?` one character, in any case) tested as
 * iamPattern's case-insensitive, dot-all regular expressions test them,
 * without compiling one when pattern and resource are ASCII. V8 compiles an
 * expression on its first test and again, to machine code, on its second:
 * some 70 µs for such an ARN pattern, more than the plan's rules then spend
 * testing it; they test some sixty patterns twenty times each.
 */

const STAR = 42; // *
const ANY = 63; // ?
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Whether `text` is matched by `pattern` whose every `*` is any run and every
 * `?` any one character, the rest compared as they are: what `^…$` of
 * iamPattern matches with `.` matching every character (the `s` flag). Each
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

/** Answers already given, per pattern and resource: the rules ask of the same few dozen ARNs. */
const answers = new Map<string, Map<string, boolean>>();

/**
 * `iamPattern(pattern, "is").test(resource)`, the same answer for every
 * pattern and resource. Ignoring case without the `u` flag folds ASCII
 * letters to upper case and folds nothing else onto ASCII, so upper-casing an
 * ASCII pattern and resource compares them alike; anything not ASCII is left
 * to the expression.
 */
export function resourceMatches(pattern: string, resource: string): boolean {
  let known = answers.get(pattern);
  if (known === undefined) answers.set(pattern, (known = new Map()));
  let answer = known.get(resource);
  if (answer === undefined) {
    answer =
      ASCII.test(pattern) && ASCII.test(resource)
        ? matches(pattern.toUpperCase(), resource.toUpperCase())
        : iamPattern(pattern, "is").test(resource);
    known.set(resource, answer);
  }
  return answer;
}
