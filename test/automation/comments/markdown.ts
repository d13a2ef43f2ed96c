/** What a Markdown renderer sees as prose, for tests that check nothing in it is live. */

/** Lines outside fenced code blocks (which render as code whatever they hold). */
export function outsideFences(body: string): string[] {
  let inFence = false;
  const kept: string[] = [];
  for (const line of body.split("\n")) {
    if (/^ {0,3}```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (!inFence) kept.push(line);
  }
  if (inFence) throw new Error("a fenced block is left open");
  return kept;
}

/** A line without its code spans, found as CommonMark finds them (equal backtick runs). */
export function withoutCodeSpans(line: string): string {
  let out = "";
  let i = 0;
  while (i < line.length) {
    const run = /^`+/.exec(line.slice(i));
    if (run === null || (i > 0 && line[i - 1] === "\\")) {
      out += line[i];
      i += 1;
      continue;
    }
    const closing = new RegExp(`(?<!\`)${run[0]}(?!\`)`, "g");
    closing.lastIndex = i + run[0].length;
    const end = closing.exec(line);
    if (end === null) {
      out += run[0];
      i += run[0].length;
      continue;
    }
    i = end.index + run[0].length;
  }
  return out;
}
