import {
  fenced,
  inline,
  measure,
  sliceToFit,
  stripAnsi,
  truncateLines,
} from "../../../automation/comments/text";

describe("stripAnsi", () => {
  it("removes colour, cursor and hyperlink sequences and keeps the text", () => {
    // given
    const text =
      "\u001b[1m\u001b[32m+\u001b[0m create\u001b[2K \u001b]8;;https://x\u0007link\u001b]8;;\u0007";

    // when / then
    expect(stripAnsi(text)).toBe("+ create link");
  });

  it("turns carriage returns into newlines", () => {
    expect(stripAnsi("a\r\nb\rc")).toBe("a\nb\nc");
  });
});

describe("fenced", () => {
  it("breaks backtick runs inside so no line of the content can close the block", () => {
    // when
    const block = fenced("x\n```\ny\n````", "diff");

    // then
    const fenceLines = block.split("\n").filter((l) => /^`{3,}/.test(l));
    expect(fenceLines).toEqual(["```diff", "```"]);
  });
});

describe("inline", () => {
  it("escapes pipes, tags and newlines for a table cell", () => {
    expect(inline("a|b\n<script>")).toBe("a\\|b &lt;script&gt;");
  });
});

describe("sliceToFit", () => {
  it("never splits a surrogate pair in UTF-16", () => {
    // given: 🚀 is two UTF-16 code units
    const text = "ab🚀cd";

    // when / then
    expect(sliceToFit(text, 3, "utf16")).toBe("ab");
    expect(sliceToFit(text, 4, "utf16")).toBe("ab🚀");
  });

  it("counts UTF-8 bytes and never splits a character", () => {
    // given: 中 is three bytes
    const text = "中中中";

    // when
    const cut = sliceToFit(text, 7, "utf8");

    // then
    expect(cut).toBe("中中");
    expect(measure(cut, "utf8")).toBe(6);
  });
});

describe("truncateLines", () => {
  it("cuts on a line boundary and says how many lines were shown", () => {
    // given
    const text = ["line one", "line two", "line three", "line four"].join("\n");

    // when
    const cut = truncateLines(text, 24, "utf16");

    // then
    expect(cut).toEqual({ text: "line one\nline two", shownLines: 2, totalLines: 4 });
  });
});
