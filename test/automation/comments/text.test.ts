import {
  codeSpan,
  fenced,
  htmlText,
  markdownText,
  measure,
  safeLink,
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

const ZWSP = "\u200b";

describe("markdownText", () => {
  it("backslash-escapes every Markdown punctuation, so no link, image, tag or emphasis starts", () => {
    // given / when
    const text = markdownText("[x](https://e) ![i](j) <b>*_`~|");
    // then: each punctuation character is preceded by a backslash
    expect(text.replace(/\\[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g, "")).not.toMatch(
      /[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/,
    );
  });

  it("breaks mentions, issue references and autolinks with a zero-width space", () => {
    // given / when
    const text = markdownText("@octo #12 https://evil www.evil.example");
    // then
    expect(text).toContain(`@${ZWSP}octo`);
    expect(text).toContain(`#${ZWSP}12`);
    expect(text).toContain(`\\:${ZWSP}\\/\\/evil`);
    expect(text).toContain(`www${ZWSP}\\.evil`);
  });

  it("keeps one line and drops bidirectional overrides", () => {
    expect(markdownText("a\nb\r\nc\u202ed")).toBe("a b cd");
  });
});

describe("htmlText", () => {
  it("writes punctuation as entities, so no tag, attribute or link starts, and breaks mentions", () => {
    expect(htmlText(`<img src="x">[a](b)@z`)).toBe(
      `&#60;img src=&#34;x&#34;&#62;&#91;a&#93;&#40;b&#41;@${ZWSP}z`,
    );
  });
});

describe("codeSpan", () => {
  it.each([
    ["plain", "dev-us-east-1", "`dev-us-east-1`"],
    ["a backtick inside", "a`b", "``a`b``"],
    ["a run of backticks", "a```b", "````a```b````"],
    ["a backtick at an end, padded", "`a", "`` `a ``"],
  ])("%s", (_what, text, expected) => {
    expect(codeSpan(text)).toBe(expected);
  });

  it("escapes pipes in a table cell and keeps one line", () => {
    expect(codeSpan("a|b\nc", true)).toBe("`a\\|b c`");
  });
});

describe("safeLink", () => {
  it("links a plain https URL", () => {
    expect(safeLink("the build log", "https://console.example/x?a=1#b")).toBe(
      "[the build log](https://console.example/x?a=1#b)",
    );
  });

  it.each([
    ["javascript:", "javascript:alert(1)"],
    ["http", "http://console.example"],
    ["a parenthesis that would end the link", "https://e/x)[y](https://evil"],
    ["a space", "https://e/x y"],
  ])("refuses %s", (_what, url) => {
    expect(safeLink("log", url)).toBeUndefined();
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
