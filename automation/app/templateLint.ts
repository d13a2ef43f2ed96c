import { CfnTemplate, nestedTemplateFile, readTemplate } from "../../components/cfnTemplate";
import { arnPrefix, dnsSuffix, servicePrincipal } from "../../components/partition";
import { SUPPORTED_RUNTIMES } from "../policies/lambda";
import CFN_DATA from "./cfnData.json";

/*
 * The walkthrough's pain point, before a deploy: what in a template breaks
 * in the China Regions. Partition strings written out (the global ARN
 * prefix, hosts under the global DNS suffix, global Region names) with the `${AWS::Partition}` /
 * `${AWS::URLSuffix}` / `${AWS::Region}` fix, resource types CloudFormation
 * does not offer in the China Region and Lambda runtimes outside the ones
 * known to run there, each with its file and line.
 */

export interface LintFinding {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const GLOBAL_HOST = new RegExp(
  `([A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*)\\.${dnsSuffix("aws").replace(/\./g, "\\.")}(?!\\.cn)(?![A-Za-z0-9-])`,
  "g",
);
const GLOBAL_REGION = /\b(?:us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d\b/g;

/** A service principal that is the same in both partitions (Lambda's) is no problem. */
function hostProblem(host: string): string | undefined {
  const labels = host.split(".");
  if (labels.length === 1 && servicePrincipal(host, "aws-cn") === `${host}.${dnsSuffix("aws")}`) {
    return undefined;
  }
  return `"${host}.${dnsSuffix("aws")}" is a global-partition host or principal: write it !Sub "${labels.join(".")}.\${AWS::URLSuffix}" (${dnsSuffix("aws-cn")} in China)`;
}

/** Partition strings written out, line by line (YAML comments skipped). */
function textFindings(template: CfnTemplate, file: string): LintFinding[] {
  const findings: LintFinding[] = [];
  template.text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, "");
    const at = (message: string) => findings.push({ file, line: i + 1, message });
    if (line.includes(arnPrefix("aws"))) {
      at(
        `"${arnPrefix("aws")}" is the global partition's ARN prefix (${arnPrefix("aws-cn")} in China): write !Sub "arn:\${AWS::Partition}:…"`,
      );
    }
    for (const m of line.matchAll(GLOBAL_HOST)) {
      const problem = hostProblem(m[1]!);
      if (problem) at(problem);
    }
    for (const m of line.matchAll(GLOBAL_REGION)) {
      at(
        `"${m[0]}" is a global Region: write \${AWS::Region} (or a parameter) so the template deploys in China`,
      );
    }
  });
  return findings;
}

/** Today, as the runtime dates are compared (an argument, so tests pin it). */
export interface LintOptions {
  readonly today?: Date;
}

/** What breaks in `region` (a China Region), the template's nested templates included. */
export function lintTemplate(
  template: CfnTemplate,
  region: string,
  relative: (file: string) => string,
  options: LintOptions = {},
): LintFinding[] {
  const missing = new Set((CFN_DATA.missingInChina as Record<string, string[]>)[region] ?? []);
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  const runtimes = CFN_DATA.runtimes as Record<string, { createBlock: string | null }>;
  const findings: LintFinding[] = [];
  const visit = (t: CfnTemplate) => {
    const file = relative(t.file);
    findings.push(...textFindings(t, file));
    const globals = (t.body.Globals as { Function?: { Runtime?: unknown } } | undefined)?.Function;
    for (const r of t.resources) {
      const at = (message: string) => findings.push({ file, line: r.line, message });
      if (missing.has(r.type)) {
        at(
          `${r.logicalId}: ${r.type} is not offered by CloudFormation in ${region} (${CFN_DATA.source}, ${CFN_DATA.schemaDate}): drop it from the China deploy or use another type`,
        );
      }
      const isFunction =
        r.type === "AWS::Lambda::Function" || r.type === "AWS::Serverless::Function";
      const runtime =
        r.properties.Runtime ??
        (r.type === "AWS::Serverless::Function" ? globals?.Runtime : undefined);
      if (isFunction && typeof runtime === "string") {
        const block = runtimes[runtime]?.createBlock;
        if (!SUPPORTED_RUNTIMES.includes(runtime)) {
          at(
            `${r.logicalId}: runtime ${runtime} is not one known to run in both partitions (${SUPPORTED_RUNTIMES.join(", ")})`,
          );
        } else if (block !== undefined && block !== null && block <= today) {
          at(
            `${r.logicalId}: Lambda blocks creating ${runtime} functions since ${block} (${CFN_DATA.source})`,
          );
        }
      }
      const nested = nestedTemplateFile(r, t.file);
      if (nested) visit(readTemplate(nested));
    }
  };
  visit(template);
  return findings;
}
