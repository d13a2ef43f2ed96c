import { commentMarker, CommentProvider, title } from "./render";
import { codeSpan, fenced, safeLink, stripAnsi, truncateLines } from "./text";

/** A build phase as CodeBuild reports it when the build ends. */
export interface BuildPhase {
  /** A CodeBuild PhaseType: INSTALL, BUILD, UPLOAD_ARTIFACTS, … */
  readonly type: string;
  /** A CodeBuild StatusType: FAILED, FAULT, TIMED_OUT, STOPPED, … */
  readonly status: string;
  /** CodeBuild's messages about the phase ("COMMAND_EXECUTION_ERROR: …"). */
  readonly context: readonly string[];
}

/** Why a comment shows no preview, and where to look instead. */
export interface BuildFailure {
  readonly env: string;
  readonly provider: CommentProvider;
  /** How the build ended (a CodeBuild StatusType). */
  readonly status: string;
  /** The first phase that did not succeed. @default none: no phase failed */
  readonly phase?: BuildPhase;
  /**
   * Why there is no preview: the result is missing, too large or invalid.
   * Written by the poster, never quoting the result, so shown as it is.
   */
  readonly reason: string;
  /** The build's log. @default none */
  readonly logsUrl?: string;
  /** The commit previewed. @default none */
  readonly commit?: string;
}

const MAX_CONTEXTS = 5;
const MAX_CONTEXT_CHARS = 2_000;

/**
 * The comment for a preview build that left no usable result: the build's
 * status, the phase it failed in with CodeBuild's messages, why there is no
 * preview, and a link to the log. It carries the environment's marker, so it
 * replaces the preview comment of an earlier revision and the next preview
 * replaces it. Every value is treated as untrusted text; `redact` is applied to
 * the whole body.
 */
export function renderFailureComment(f: BuildFailure, redact: (text: string) => string): string {
  const where = f.phase
    ? ` in the ${codeSpan(f.phase.type)} phase (${codeSpan(f.phase.status)})`
    : "";
  const parts = [
    commentMarker(f.env),
    title(f),
    `❌ The preview build ended ${codeSpan(f.status)}${where}: ${f.reason}, so there is no preview to show.`,
  ];
  const context = (f.phase?.context ?? [])
    .slice(0, MAX_CONTEXTS)
    .map((c) => truncateLines(stripAnsi(c).trim(), MAX_CONTEXT_CHARS, "utf16").text)
    .filter((c) => c !== "");
  if (context.length > 0) parts.push(fenced(context.join("\n")));
  const log = safeLink("the build log", f.logsUrl);
  parts.push(log ? `Details: ${log}.` : "Details: the CodeBuild log of this build.");
  return redact(parts.join("\n\n"));
}
