import { ChangeKind, TargetPreview } from "./types";
import {
  COMMENT_LIMITS,
  SizeUnit,
  codeSpan,
  fenced,
  htmlText,
  markdownText,
  measure,
  safeLink,
  sliceToFit,
  stripAnsi,
  truncateLines,
} from "./text";

export type CommentProvider = keyof typeof COMMENT_LIMITS;

export interface RenderOptions {
  /** The silkroute environment the previews belong to (dev, stage, prod). */
  readonly env: string;
  /** Which service the body is for: sets the size budget and how it is counted. */
  readonly provider: CommentProvider;
  /** Link to the full build log, named in the note when details are cut. @default none */
  readonly buildUrl?: string;
  /** The commit previewed, shown under the title. @default none */
  readonly commit?: string;
  /** Override the service's budget (tests). @default COMMENT_LIMITS[provider].budget */
  readonly budget?: number;
}

const KINDS: readonly ChangeKind[] = ["create", "update", "replace", "delete", "same"];
const COMPACT_ROWS = 50;
/** The smallest useful slice of a cut diff. */
const MIN_DIFF = 400;
const SECTION_SEPARATOR = "\n\n";

/** The hidden line that identifies the comment of one environment on a pull request. */
export function commentMarker(env: string): string {
  return `<!-- silkroute:preview env=${env} -->`;
}

function changed(p: TargetPreview): boolean {
  return KINDS.some((k) => k !== "same" && p.changes[k] > 0);
}

function hasNoChanges(previews: readonly TargetPreview[]): boolean {
  return previews.every(
    (p) => p.status === "succeeded" && !changed(p) && p.violations.length === 0,
  );
}

/** The comment's heading: the environment, and the commit previewed when known. */
export function title(o: Pick<RenderOptions, "env" | "commit">): string {
  const commit = o.commit ? ` at ${codeSpan(o.commit.slice(0, 12))}` : "";
  return `### silkroute preview · ${codeSpan(o.env)}${commit}`;
}

function summaryTable(previews: readonly TargetPreview[]): string {
  const rows = previews.map((p) => {
    const status =
      p.status === "succeeded"
        ? p.fresh
          ? "✅ fresh deploy"
          : p.notDeployed
            ? "✅ not deployed yet"
            : "✅"
        : "❌ failed";
    const counts = KINDS.map((k) => String(p.changes[k])).join(" | ");
    return `| ${codeSpan(p.name, true)} | ${status} | ${counts} | ${p.violations.length} |`;
  });
  return [
    "| Target | Status | Create | Update | Replace | Delete | Same | Violations |",
    "| --- | :-: | --: | --: | --: | --: | --: | --: |",
    ...rows,
  ].join("\n");
}

function errorsSection(
  previews: readonly TargetPreview[],
  perError: number,
  unit: SizeUnit,
): string {
  const failed = previews.filter((p) => p.status === "failed");
  if (failed.length === 0) return "";
  const blocks = failed.map((p) => {
    const text = stripAnsi(p.error ?? "The preview failed without an error message.").trim();
    const cut = truncateLines(text, perError, unit);
    const more = cut.text.length < text.length ? "\n_Error cut; the build log has all of it._" : "";
    return `**${codeSpan(p.name)}**\n${fenced(cut.text)}${more}`;
  });
  return `#### Errors\n\n${blocks.join("\n\n")}`;
}

function core(
  previews: readonly TargetPreview[],
  o: RenderOptions,
  unit: SizeUnit,
  perError: number,
): string {
  const failed = previews.filter((p) => p.status === "failed").length;
  const counts = `${previews.length} target${previews.length === 1 ? "" : "s"}${failed ? `, ${failed} failed` : ""}`;
  const parts = [
    commentMarker(o.env),
    title(o),
    counts,
    summaryTable(previews),
    errorsSection(previews, perError, unit),
  ];
  return parts.filter((part) => part !== "").join("\n\n");
}

function describeChanges(p: TargetPreview): string {
  const words: Record<ChangeKind, string> = {
    create: "to create",
    update: "to update",
    replace: "to replace",
    delete: "to delete",
    same: "unchanged",
  };
  const said = KINDS.filter((k) => p.changes[k] > 0).map((k) => `${p.changes[k]} ${words[k]}`);
  return said.length > 0 ? said.join(" · ") : "no resources";
}

/** The diff as shown: no ANSI codes, no blank lines around it, indentation kept. */
function diffText(p: TargetPreview): string {
  return stripAnsi(p.diff)
    .replace(/^\s*\n/, "")
    .trimEnd();
}

/** `diff`: "full", a budget for a truncated diff, or 0 for none. */
function section(
  p: TargetPreview,
  diff: "full" | number,
  unit: SizeUnit,
  maxRows: number,
): { text: string; cut: boolean } {
  const status =
    p.status === "succeeded"
      ? p.fresh
        ? "✅ what a fresh deploy would create (its state is not read here)"
        : p.notDeployed
          ? "✅ not deployed yet, so everything is created"
          : "✅"
      : "❌ failed, error above";
  const parts = [
    `<details><summary><b>${htmlText(p.name)}</b> ${status} · ${describeChanges(p)}</summary>`,
  ];
  const rows = p.resources.filter((r) => r.op !== "same");
  if (rows.length > 0) {
    const shown = rows
      .slice(0, maxRows)
      .map(
        (r) => `| ${markdownText(r.op)} | ${codeSpan(r.type, true)} | ${codeSpan(r.name, true)} |`,
      );
    const more =
      rows.length > maxRows ? `\n\n_…and ${rows.length - maxRows} more resource changes._` : "";
    parts.push(`| Operation | Type | Name |\n| --- | --- | --- |\n${shown.join("\n")}${more}`);
  }
  if (p.violations.length > 0) {
    parts.push(
      `**Policy violations**\n\n${p.violations.map((v) => `- ${markdownText(stripAnsi(v))}`).join("\n")}`,
    );
  }
  const text = diffText(p);
  let cut = false;
  if (text !== "") {
    if (diff === "full") {
      parts.push(fenced(text, "diff"));
    } else if (diff > 0) {
      const t = truncateLines(text, diff, unit);
      cut = t.shownLines < t.totalLines || t.text.length < text.length;
      parts.push(
        `${fenced(t.text, "diff")}\n_Diff cut after line ${t.shownLines} of ${t.totalLines}._`,
      );
    } else {
      cut = true;
      parts.push("_Diff left out to fit the comment size limit._");
    }
  }
  parts.push("</details>");
  return { text: parts.join("\n\n"), cut };
}

function cutNote(
  o: RenderOptions,
  budget: number,
  omitted: number,
  total: number,
  cutDiffs: number,
): string {
  const service = COMMENT_LIMITS[o.provider].service;
  const what = [
    omitted > 0 ? `details of ${omitted} of ${total} targets left out` : "",
    cutDiffs > 0 ? `${cutDiffs} diff${cutDiffs === 1 ? "" : "s"} cut` : "",
  ].filter((s) => s !== "");
  const log = safeLink("the build log", o.buildUrl) ?? "the CodeBuild log of this build";
  return `> ✂️ Cut to fit ${service}'s ${budget.toLocaleString("en-US")}-character comment limit (${what.join(", ")}). Full output: ${log}.`;
}

/** Sections to keep first when space runs out: failures, then violations, then changes. */
function priority(p: TargetPreview): number {
  if (p.status === "failed") return 0;
  if (p.violations.length > 0) return 1;
  return changed(p) ? 2 : 3;
}

/**
 * The Markdown body of the preview comment: marker, summary table and errors always; then one
 * folded section per target, cut (whole sections first, then diffs) to the service's budget.
 */
export function renderPreviewComment(previews: readonly TargetPreview[], o: RenderOptions): string {
  const { unit } = COMMENT_LIMITS[o.provider];
  const budget = o.budget ?? COMMENT_LIMITS[o.provider].budget;
  const fit = (body: string): string => hardCut(body, budget, unit, o);

  if (previews.length === 0)
    return fit(`${commentMarker(o.env)}\n\nNo targets were previewed in ${codeSpan(o.env)}.`);
  if (hasNoChanges(previews)) {
    const names = previews.map((p) => p.name).join(", ");
    const list =
      names.length <= 300 ? ` (${previews.map((p) => codeSpan(p.name)).join(", ")})` : "";
    const line = `**silkroute preview · ${codeSpan(o.env)}**: no changes, all ${previews.length} targets are up to date${list}.`;
    return fit(`${commentMarker(o.env)}\n\n${line}`);
  }

  const full = [
    core(previews, o, unit, Infinity),
    ...previews.map((p) => section(p, "full", unit, Infinity).text),
  ];
  const whole = full.join(SECTION_SEPARATOR);
  if (measure(whole, unit) <= budget) return whole;

  // Reserve room for the note as if every target were cut, then give the errors what the summary leaves.
  const note = cutNote(o, budget, previews.length, previews.length, previews.length);
  const reserve = measure(note, unit) + 2 * SECTION_SEPARATOR.length;
  const failedCount = previews.filter((p) => p.status === "failed").length;
  let head = core(previews, o, unit, Infinity);
  if (measure(head, unit) + reserve > budget && failedCount > 0) {
    const bare = measure(core(previews, o, unit, 0), unit);
    const perError = Math.max(0, Math.floor((budget - reserve - bare) / failedCount) - 80);
    head = core(previews, o, unit, perError);
  }

  // Whole sections first: the compact form of each section, by priority, while it fits.
  let left = budget - reserve - measure(head, unit);
  const order = previews
    .map((preview, i) => ({ i, preview }))
    .sort((a, b) => priority(a.preview) - priority(b.preview) || a.i - b.i);
  const kept: Indexed[] = [];
  for (const entry of order) {
    const cost =
      measure(section(entry.preview, 0, unit, COMPACT_ROWS).text, unit) + SECTION_SEPARATOR.length;
    if (cost > left) continue;
    kept.push(entry);
    left -= cost;
  }
  kept.sort((a, b) => a.i - b.i);

  // Then diffs, sharing what is left; retried smaller if markup overhead was underestimated.
  const withDiff = kept.filter((e) => diffText(e.preview) !== "");
  for (let overhead = 120; ; overhead *= 2) {
    const share = withDiff.length > 0 ? Math.floor(left / withDiff.length) - overhead : 0;
    const allowances = shareOut(withDiff, left - overhead * withDiff.length, unit);
    const sections = kept.map((e) =>
      section(e.preview, allowances.get(e.i) ?? 0, unit, COMPACT_ROWS),
    );
    const cutDiffs = sections.filter((s) => s.cut).length;
    const omitted = previews.length - kept.length;
    const body = [
      head,
      ...sections.map((s) => s.text),
      cutNote(o, budget, omitted, previews.length, cutDiffs),
    ].join(SECTION_SEPARATOR);
    if (measure(body, unit) <= budget || share <= 0) return fit(body);
  }
}

/** A preview and its place in the comment. */
interface Indexed {
  readonly i: number;
  readonly preview: TargetPreview;
}

/** Water-filling: short diffs keep all they need, the rest share the remainder equally. */
function shareOut(entries: readonly Indexed[], total: number, unit: SizeUnit): Map<number, number> {
  const sizes = entries.map(({ i, preview }) => ({ i, size: measure(diffText(preview), unit) }));
  sizes.sort((a, b) => a.size - b.size);
  const result = new Map<number, number>();
  let remaining = Math.max(0, total);
  sizes.forEach(({ i, size }, n) => {
    let given = Math.max(0, Math.min(size, Math.floor(remaining / (sizes.length - n))));
    // A few characters of a long diff help nobody: leave it out and let the others have the room.
    if (given < size && given < MIN_DIFF) given = 0;
    result.set(i, given);
    remaining -= given;
  });
  return result;
}

/** Last resort so a body never exceeds the budget: keep the start (marker, summary) and say so. */
function hardCut(body: string, budget: number, unit: SizeUnit, o: RenderOptions): string {
  if (measure(body, unit) <= budget) return body;
  const tail = `\n\n${cutNote(o, budget, 0, 0, 0).replace(" ()", "")}`;
  return sliceToFit(body, budget - measure(tail, unit), unit) + tail;
}
