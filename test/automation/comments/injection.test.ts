import { renderPreviewComment } from "../../../automation/comments/render";
import { TargetPreview } from "../../../automation/comments/types";
import { preview } from "./fixtures";
import { outsideFences, withoutCodeSpans } from "./markdown";

const ZWSP = "\u200b";
const BUILD_URL = "https://console.example/cloudwatch/home#logEvent:group=x;stream=y";

/** What a hostile pull request can put in every field of its result. */
const ATTACK =
  "x` | [click](https://evil.example) ![p](https://evil.example/p.png) <img src=x onerror=alert(1)> " +
  "@octocat #1 www.evil.example **bold** </details></summary>\n```\n| a | b |";

const hostile: TargetPreview[] = [
  preview(ATTACK, {
    status: "failed",
    error: `${ATTACK}\n\`\`\`\n</details>\n[x](https://evil.example)`,
    changes: { create: 1, update: 0, replace: 0, delete: 0, same: 0 },
    resources: [{ op: ATTACK, type: ATTACK, name: ATTACK }],
    violations: [ATTACK],
    diff: `\`\`\`\n@everyone ${ATTACK}\n\`\`\``,
  }),
  preview("dev-us-east-1", { violations: [ATTACK] }),
];

describe.each(["github", "codecommit"] as const)(
  "a %s comment from a hostile result renders nothing live",
  (provider) => {
    const body = renderPreviewComment(hostile, { env: "dev", provider, buildUrl: BUILD_URL });
    const prose = outsideFences(body).map(withoutCodeSpans);

    it("has no HTML but its own details, summary and bold tags and the marker", () => {
      // given / when
      const tags = prose.join("\n").match(/(?<!\\)<\/?[A-Za-z][^>]*>|<!--/g) ?? [];
      // then
      expect(new Set(tags)).toEqual(
        new Set(["<!--", "<details>", "<summary>", "<b>", "</b>", "</summary>", "</details>"]),
      );
      expect(tags.filter((t) => t === "<!--")).toHaveLength(1);
    });

    it("keeps each section's own closing tag as its only one", () => {
      // given / when
      const closings = prose.filter((l) => l.includes("</details>"));
      // then
      expect(closings).toEqual(["</details>", "</details>"]);
    });

    it("has no link or image but the build log's", () => {
      // given / when
      const links = prose.join("\n").match(/(?<!\\)\]\(/g) ?? [];
      // then
      expect(links.length).toBeLessThanOrEqual(1);
      expect(prose.join("\n")).not.toMatch(/(?<!\\)\]\((?!https:\/\/console\.example)/);
    });

    it("mentions nobody and autolinks nothing", () => {
      // given
      const text = prose
        .filter((l) => !l.startsWith("#"))
        .join("\n")
        .replace(`(${BUILD_URL})`, "");
      // then
      expect(text).not.toMatch(new RegExp(`@(?!${ZWSP})`));
      expect(text).not.toMatch(new RegExp(`#(?!${ZWSP}|&|#|\\d+;)`));
      expect(text).not.toMatch(/:\/\/|www\./i);
    });

    it("keeps every table row to its own cells", () => {
      // given: GFM splits cells before it finds code spans, so count on the raw lines
      const rows = outsideFences(body).filter((l) => l.startsWith("| "));
      // when
      const cells = rows.map((r) => (r.match(/(?<!\\)\|/g) ?? []).length - 1);
      // then: the summary table has 8 columns (head, rule, 2 rows), the resource table 3
      expect(cells).toEqual([8, 8, 8, 8, 3, 3, 3]);
    });

    it("has no emphasis from the data", () => {
      expect(prose.join("\n")).not.toMatch(/(?<![\\*])\*\*bold/);
    });
  },
);
