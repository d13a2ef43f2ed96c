/** How a comment service counts the size of a body. */
export type SizeUnit = "utf16" | "utf8";

/** The size limits of each service, in the unit it counts. */
export const COMMENT_LIMITS = {
  /** GitHub rejects issue comments over 65,536 characters. */
  github: { budget: 65_536, unit: "utf16", service: "GitHub" },
  /**
   * CodeCommit rejects comments over 10,240 characters. Counting UTF-8 bytes is never less than
   * counting characters, so a body within the budget in bytes is safe whichever way it counts.
   */
  codecommit: { budget: 10_240, unit: "utf8", service: "CodeCommit" },
} as const satisfies Record<string, { budget: number; unit: SizeUnit; service: string }>;

/** The size of `text` in `unit`; UTF-16 code units are never fewer than characters. */
export function measure(text: string, unit: SizeUnit): number {
  return unit === "utf8" ? Buffer.byteLength(text, "utf8") : text.length;
}

function codePointCost(codePoint: number, unit: SizeUnit): number {
  if (unit === "utf16") return codePoint > 0xffff ? 2 : 1;
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint > 0xffff ? 4 : 3;
}

/** The longest prefix of `text` that fits in `max` units, never splitting a character. */
export function sliceToFit(text: string, max: number, unit: SizeUnit): string {
  if (max <= 0) return "";
  // Fast path: no prefix can cost fewer units than code units in UTF-16 / bytes in UTF-8.
  if (measure(text, unit) <= max) return text;
  let used = 0;
  let end = 0;
  for (const char of text) {
    const cost = codePointCost(char.codePointAt(0) ?? 0, unit);
    if (used + cost > max) break;
    used += cost;
    end += char.length;
  }
  return text.slice(0, end);
}

// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone escapes.
const ANSI =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** `text` without ANSI escape sequences, with CRLF and stray carriage returns made newlines. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "").replace(/\r\n?/g, "\n");
}

/**
 * A fenced code block that no content can close early: runs of three or more backticks inside
 * get a zero-width space between each backtick, which renders the same and is no fence.
 */
export function fenced(text: string, info = ""): string {
  const safe = text.replace(/`{3,}/g, (run) => run.split("").join("\u200b"));
  return `\`\`\`${info}\n${safe.endsWith("\n") ? safe : `${safe}\n`}\`\`\``;
}

// C0 controls other than tab and newline, DEL, and the bidirectional overrides and isolates
// that make text read differently than it is (CVE-2021-42574).
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** One line of visible text: line breaks and tabs become spaces, invisible controls go. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/g, " ").replace(INVISIBLE, "");
}

/**
 * A zero-width space after `@` and `#` and inside `://` and `www.`, so GitHub
 * turns nothing into a mention (a notification), an issue reference or a link.
 * It renders as nothing.
 */
function defuse(text: string): string {
  return text
    .replace(/[@#]/g, "$&\u200b")
    .replace(/:\/\//g, ":\u200b//")
    .replace(/(www)(\.)/gi, "$1\u200b$2");
}

/**
 * Untrusted text as inert Markdown on one line, for a table cell, a list item
 * or a paragraph: every ASCII punctuation character is backslash-escaped, so
 * no link, image, emphasis, HTML tag, entity, code span or cell break can
 * start, and nothing becomes a mention, reference or autolink.
 */
export function markdownText(text: string): string {
  return defuse(oneLine(text)).replace(/[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g, "\\$&");
}

/**
 * Untrusted text inside an HTML block (a `<summary>`, never at the start of a
 * line), where Markdown is not parsed: the characters that start a tag, an
 * attribute value, an entity, a link, emphasis or a code span, as numeric
 * entities, which read the same whether a renderer treats the line as HTML or
 * as Markdown; one line, no mention or autolink.
 */
export function htmlText(text: string): string {
  return defuse(oneLine(text)).replace(/[&<>"'[\]()!*_`~\\|]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Untrusted text as a code span that no content can close: its backtick fence
 * is longer than any backtick run inside (CommonMark), padded with a space
 * where the content starts or ends with one. `inTable` escapes `|`, which
 * splits a table cell even inside a code span. One line.
 */
export function codeSpan(text: string, inTable = false): string {
  const body = inTable ? oneLine(text).replace(/\|/g, "\\|") : oneLine(text);
  if (body === "") return "";
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(body) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A Markdown link to `url` when it is a plain https URL; otherwise undefined. */
export function safeLink(label: string, url: string | undefined): string | undefined {
  if (url === undefined || !/^https:\/\/[^\s()<>[\]"'`\\]+$/.test(url)) return undefined;
  return `[${markdownText(label)}](${url})`;
}

/** `text` cut to at most `max` units on a line boundary when one is near, with how much was cut. */
export function truncateLines(
  text: string,
  max: number,
  unit: SizeUnit,
): { text: string; shownLines: number; totalLines: number } {
  const totalLines = text.split("\n").length;
  if (measure(text, unit) <= max) return { text, shownLines: totalLines, totalLines };
  let cut = sliceToFit(text, max, unit);
  const lastNewline = cut.lastIndexOf("\n");
  if (lastNewline > cut.length / 2) cut = cut.slice(0, lastNewline);
  return { text: cut, shownLines: cut.split("\n").length, totalLines };
}
