/**
 * The AWS SDK for JavaScript v3 warns once a process, in eight lines, that its
 * releases from a date on need a newer Node (`NodeVersionSupportWarning`,
 * @aws-sdk/core). The CLI says the same in one line where it would appear,
 * and, as the SDK, nothing on a Node it supports. Other warnings are left as
 * they are.
 */
export function shortenSdkNodeWarning(
  target: Pick<NodeJS.Process, "emitWarning">,
  write: (line: string) => void,
): void {
  const emit = target.emitWarning;
  let said = false;
  target.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === "string" ? warning : warning.message;
    if (!text.startsWith(SDK_WARNING)) {
      return (emit as (...args: unknown[]) => void).call(target, warning, ...rest);
    }
    if (!said) write(sdkNodeWarningLine(text));
    said = true;
  } as NodeJS.Process["emitWarning"];
}

const SDK_WARNING = "NodeVersionSupportWarning:";

/**
 * The SDK's first paragraph on one line: `warning: The AWS SDK for JavaScript
 * (v3) versions published after … will require node >=22. You are running
 * node v20.20.2.` (the rest says to upgrade and where to read more).
 */
export function sdkNodeWarningLine(text: string): string {
  const [paragraph = ""] = text
    .slice(SDK_WARNING.length)
    .trim()
    .split(/\n\s*\n/);
  return `warning: ${paragraph.split(/\s*\n\s*/).join(" ")}`;
}
