import {
  parseResult,
  RESULT_LIMITS,
  RESULT_SCHEMA,
  RESULT_VERSION,
  resultDocument,
} from "../../../automation/comments/result";
import { creating, preview } from "./fixtures";

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** A document as a hostile build could write it: valid but for `change`. */
function hostile(change: (doc: Record<string, any>) => void): string {
  const doc = JSON.parse(resultDocument("dev", [creating("dev-us-east-1")]));
  change(doc);
  return JSON.stringify(doc);
}

describe("resultDocument and parseResult", () => {
  it("round-trips previews, failed ones included, with ANSI codes stripped", () => {
    // given
    const failed = preview("dev-china", { status: "failed", error: "\u001b[31mboom\u001b[0m" });
    // when
    const parsed = parseResult(resultDocument("dev", [creating("dev-us-east-1"), failed]));
    // then
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.result.env).toBe("dev");
    expect(parsed.result.previews.map((p) => [p.name, p.status])).toEqual([
      ["dev-us-east-1", "succeeded"],
      ["dev-china", "failed"],
    ]);
    expect(parsed.result.previews[1].error).toBe("boom");
  });

  it("names the format and its version", () => {
    // given / when
    const doc = JSON.parse(resultDocument("dev", []));
    // then
    expect(doc).toMatchObject({ schema: RESULT_SCHEMA, version: RESULT_VERSION, previews: [] });
  });

  it("stays within the byte limit and the schema however large the previews", () => {
    // given: the most targets, each with a huge multi-byte diff and many resources
    const huge = Array.from({ length: RESULT_LIMITS.targets + 5 }, (_, i) =>
      creating(`dev-r${i}`, 2000, "字".repeat(200_000)),
    );
    // when
    const text = resultDocument("dev", huge);
    // then
    expect(bytes(text)).toBeLessThanOrEqual(RESULT_LIMITS.bytes);
    const parsed = parseResult(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.result.previews).toHaveLength(RESULT_LIMITS.targets);
  });
});

describe("parseResult refuses what the poster must not trust", () => {
  it.each([
    ["not JSON", "{", "not JSON"],
    ["another document", JSON.stringify({ schema: "other", version: 1 }), "not a"],
    ["a JSON array", "[]", "not a"],
  ])("%s", (_what, text, said) => {
    // given / when
    const parsed = parseResult(text);
    // then
    expect(parsed).toEqual({ ok: false, problem: expect.stringContaining(said) });
  });

  it("another format version, naming both versions", () => {
    // given / when
    const parsed = parseResult(hostile((d) => (d.version = 2)));
    // then
    expect(parsed).toEqual({
      ok: false,
      problem: expect.stringMatching(/format version 2, this poster reads version 1/),
    });
  });

  it.each([
    ["an unknown key, without quoting it", (d: any) => (d["<img src=x onerror=alert(1)>"] = 1)],
    ["a negative count", (d: any) => (d.previews[0].changes.create = -1)],
    ["a fractional count", (d: any) => (d.previews[0].changes.update = 0.5)],
    ["an unknown status", (d: any) => (d.previews[0].status = "[pwned](https://evil)")],
    ["a name past the limit", (d: any) => (d.previews[0].name = "x".repeat(257))],
    ["a diff past the limit", (d: any) => (d.previews[0].diff = "x".repeat(65_537))],
    ["too many targets", (d: any) => (d.previews = Array(51).fill(d.previews[0]))],
    ["an environment that cannot mark a comment", (d: any) => (d.env = "dev -->")],
    ["a number where text belongs", (d: any) => (d.previews[0].diff = 42)],
  ])("%s", (_what, change) => {
    // given / when
    const parsed = parseResult(hostile(change));
    // then
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toMatch(/^the result fails its schema at /);
    expect(parsed.problem).not.toMatch(/pwned|onerror|<img|-->/);
  });
});
