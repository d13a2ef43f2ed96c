import { commentMarker, renderPreviewComment } from "../../../automation/comments/render";
import { COMMENT_LIMITS } from "../../../automation/comments/text";
import { TargetPreview } from "../../../automation/comments/types";
import { creating, preview } from "./fixtures";

const BUILD_URL = "https://console.example/codebuild/builds/pr-preview:1234/log";
const budgets = [
  ["github", COMMENT_LIMITS.github.budget],
  ["codecommit", COMMENT_LIMITS.codecommit.budget],
] as const;

function render(
  previews: readonly TargetPreview[],
  provider: "github" | "codecommit" = "github",
): string {
  return renderPreviewComment(previews, { env: "dev", provider, buildUrl: BUILD_URL });
}

/** The summary table's rows, in order. */
function summaryRows(body: string): string[] {
  const table = body.slice(
    0,
    body.indexOf("<details>") === -1 ? undefined : body.indexOf("<details>"),
  );
  return table.split("\n").filter((l) => /^\| `/.test(l));
}

function fences(body: string): number {
  return body.split("\n").filter((l) => l.startsWith("```")).length;
}

const failed = preview("dev-china", {
  status: "failed",
  error: "\u001b[31merror:\u001b[0m creating Lambda Function: AccessDenied on cn-north-1",
});

describe("renderPreviewComment", () => {
  it("starts with the hidden marker, then the summary table, then one folded section per target", () => {
    // given
    const previews = [creating("dev-us-east-1", 2), failed];

    // when
    const body = render(previews);

    // then
    expect(body.startsWith(`${commentMarker("dev")}\n`)).toBe(true);
    expect(summaryRows(body)).toEqual([
      "| `dev-us-east-1` | ✅ | 2 | 0 | 0 | 0 | 3 | 0 |",
      "| `dev-china` | ❌ failed | 0 | 0 | 0 | 0 | 0 | 0 |",
    ]);
    expect(body.indexOf("| Target |")).toBeLessThan(body.indexOf("<details>"));
    expect(body.match(/<details>/g)).toHaveLength(2);
    expect(body.match(/<\/details>/g)).toHaveLength(2);
  });

  it("lists the resource changes and policy violations of a target in its section", () => {
    // given
    const p = {
      ...creating("dev-us-east-1", 1),
      violations: ["lambda-in-vpc: function app is not in a VPC"],
    };

    // when
    const body = render([p]);

    // then
    expect(body).toContain("| create | `aws:lambda/function:Function` | `dev-us-east-1-fn-0` |");
    // escaped Markdown, which renders as the violation's own text
    expect(body).toContain("- lambda\\-in\\-vpc\\: function app is not in a VPC");
  });

  it("reports a failed preview with its status and its error, ANSI stripped", () => {
    // when
    const body = render([creating("dev-us-east-1"), failed]);

    // then
    expect(body).toContain("❌ failed");
    expect(body).toContain("#### Errors");
    expect(body).toContain("error: creating Lambda Function: AccessDenied on cn-north-1");
    expect(body).not.toContain("\u001b");
  });

  it("says a target never deployed is previewed as all-create, in the table and its section", () => {
    // given
    const fresh = { ...creating("dev-china", 2), notDeployed: true };

    // when
    const body = render([creating("dev-us-east-1"), fresh]);

    // then
    expect(summaryRows(body)).toEqual([
      "| `dev-us-east-1` | ✅ | 2 | 0 | 0 | 0 | 3 | 0 |",
      "| `dev-china` | ✅ not deployed yet | 2 | 0 | 0 | 0 | 3 | 0 |",
    ]);
    expect(body).toContain("<b>dev-china</b> ✅ not deployed yet, so everything is created");
  });

  it("says a China target previewed fresh shows what a fresh deploy would create", () => {
    // given
    const fresh = { ...creating("dev-china", 2), fresh: true };
    // when
    const body = render([fresh]);
    // then
    expect(summaryRows(body)).toEqual([
      "| `dev-china` | ✅ fresh deploy | 2 | 0 | 0 | 0 | 3 | 0 |",
    ]);
    expect(body).toContain(
      "<b>dev-china</b> ✅ what a fresh deploy would create (its state is not read here)",
    );
  });

  it("strips ANSI colour codes from diffs", () => {
    // given
    const p = creating(
      "dev-us-east-1",
      1,
      "\u001b[32m+ \u001b[1maws:lambda/function:Function\u001b[0m app create\r\n",
    );

    // when
    const body = render([p]);

    // then
    expect(body).toContain("+ aws:lambda/function:Function app create");
    expect(body).not.toMatch(/\u001b|\r/);
  });

  it("keeps a diff containing ``` from closing its fenced block", () => {
    // given
    const p = creating("dev-us-east-1", 1, "before\n```\n<details>injected</details>\n```\nafter");

    // when
    const body = render([p]);

    // then: only the opening and closing fence of the one diff start a line
    expect(fences(body)).toBe(2);
    expect(body).toContain("after");
  });

  it("says in one line when nothing changes anywhere", () => {
    // given
    const previews = [
      preview("dev-us-east-1"),
      preview("dev-china", { changes: { create: 0, update: 0, replace: 0, delete: 0, same: 4 } }),
    ];

    // when
    const body = render(previews);

    // then
    const lines = body.split("\n").filter((l) => l.trim() !== "");
    expect(lines).toEqual([
      commentMarker("dev"),
      "**silkroute preview · `dev`**: no changes, all 2 targets are up to date (`dev-us-east-1`, `dev-china`).",
    ]);
  });

  it("does not call a failed preview without changes 'no changes'", () => {
    // when
    const body = render([preview("dev-us-east-1"), failed]);

    // then
    expect(body).not.toContain("no changes");
    expect(body).toContain("❌ failed");
  });

  it("adds no cut note when everything fits", () => {
    // when
    const body = render([creating("dev-us-east-1")]);

    // then
    expect(body).not.toContain("Cut to fit");
  });

  describe.each(budgets)("within the %s budget of %i characters", (provider, budget) => {
    it("cuts a huge diff, keeps the summary, and points to the build log", () => {
      // given: a 5 MB diff
      const huge = Array.from(
        { length: 100_000 },
        (_, i) => `  + aws:s3/bucket:Bucket bucket-${i} create`,
      ).join("\n");
      const previews = [creating("dev-us-east-1", 3, huge), creating("dev-china", 1)];

      // when
      const body = render(previews, provider);

      // then
      expect(body.length).toBeLessThanOrEqual(budget);
      expect(Buffer.byteLength(body, "utf8")).toBeLessThanOrEqual(
        provider === "github" ? 4 * budget : budget,
      );
      expect(summaryRows(body)).toHaveLength(2);
      expect(body).toContain("bucket-0 create");
      expect(body).not.toContain("bucket-99999 create");
      expect(body).toContain(`Full output: [the build log](${BUILD_URL})`);
      expect(fences(body) % 2).toBe(0);
    });

    it("keeps the summary row of each of 40 targets", () => {
      // given
      const previews = Array.from({ length: 40 }, (_, i) =>
        creating(
          `dev-target-${i}`,
          30,
          "  + aws:lambda/function:Function app create\n".repeat(200),
        ),
      );

      // when
      const body = render(previews, provider);

      // then
      expect(body.length).toBeLessThanOrEqual(budget);
      expect(summaryRows(body).map((r) => r.split(" | ")[0])).toEqual(
        previews.map((p) => `| \`${p.name}\``),
      );
      expect(body).toMatch(/Cut to fit .*\(details of \d+ of 40 targets left out/);
    });

    it("keeps every error, and the failed target's section before unchanged ones", () => {
      // given: 30 big successful targets, then one failure
      const previews = [
        ...Array.from({ length: 30 }, (_, i) => creating(`dev-ok-${i}`, 40, "x\n".repeat(5000))),
        failed,
      ];

      // when
      const body = render(previews, provider);

      // then
      expect(body.length).toBeLessThanOrEqual(budget);
      expect(body).toContain("error: creating Lambda Function: AccessDenied on cn-north-1");
      expect(body).toContain("<details><summary><b>dev-china</b>");
    });

    it("shortens many long errors rather than exceed the budget, naming every failed target", () => {
      // given
      const previews = Array.from({ length: 40 }, (_, i) =>
        preview(`dev-fail-${i}`, { status: "failed", error: `stack trace line\n`.repeat(400) }),
      );

      // when
      const body = render(previews, provider);

      // then
      expect(body.length).toBeLessThanOrEqual(budget);
      expect(provider === "codecommit" ? Buffer.byteLength(body, "utf8") : 0).toBeLessThanOrEqual(
        budget,
      );
      for (const p of previews) expect(body).toContain(`**\`${p.name}\`**`);
    });
  });

  it("counts CodeCommit's budget in UTF-8 bytes so multi-byte diffs stay within it", () => {
    // given: diffs of CJK text and emoji (3 and 4 bytes each)
    const previews = Array.from({ length: 5 }, (_, i) =>
      creating(`dev-${i}`, 2, "部署到中国区域 🚀\n".repeat(3000)),
    );

    // when
    const body = render(previews, "codecommit");

    // then
    expect(Buffer.byteLength(body, "utf8")).toBeLessThanOrEqual(COMMENT_LIMITS.codecommit.budget);
    expect(body).not.toContain("\uFFFD");
    expect(body).toContain("部署到中国区域 🚀");
  });

  it("says there was nothing to preview when no target ran", () => {
    // when
    const body = render([]);

    // then
    expect(body).toBe(`${commentMarker("dev")}\n\nNo targets were previewed in \`dev\`.`);
  });
});
