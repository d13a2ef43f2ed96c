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
/** The ASCII characters `.` does not match without the `s` flag (a text holding one goes to the expression). */
const LINE_BREAK = /[\n\r]/;

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

/** Each pattern's test, per flags, with the answers it gave by text: the rules ask the same again. */
const tests = new Map<string, (text: string) => boolean>();

/**
 * `iamPattern(pattern, flags).test` as a function, the same answer for every
 * text: `i` for actions, `is` for resources. Ignoring case without the `u`
 * flag folds ASCII letters to upper case and folds nothing else onto ASCII,
 * so upper-casing an ASCII pattern and text compares them alike; and without
 * `s`, `.` matches every ASCII character but a line break. Anything else is
 * left to the expression.
 */
export function iamMatcher(pattern: string, flags: "i" | "is"): (text: string) => boolean {
  const key = `${flags}/${pattern}`;
  let test = tests.get(key);
  if (test === undefined) {
    const upper = pattern.toUpperCase();
    const plain = ASCII.test(pattern);
    const answers = new Map<string, boolean>();
    test = (text) => {
      let answer = answers.get(text);
      if (answer === undefined) {
        answer =
          plain && ASCII.test(text) && (flags === "is" || !LINE_BREAK.test(text))
            ? matches(upper, text.toUpperCase())
            : iamPattern(pattern, flags).test(text);
        answers.set(text, answer);
      }
      return answer;
    };
    tests.set(key, test);
  }
  return test;
}
