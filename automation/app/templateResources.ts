import * as path from "path";
import { CfnTemplate, nestedTemplateFile, readTemplate } from "../../components/cfnTemplate";
import type { PlannedResource } from "../plan/types";

/*
 * The resources a CloudFormation app's stack will create, read from its
 * template (nested templates under their AWS::CloudFormation::Stack), as
 * plan resources under the planned aws.cloudformation.Stack: the plan shows
 * them and its checks (pre-flight, template lint) apply to them. SAM types
 * are shown as written: the transform runs in the cloud.
 */

/** A template resource in the plan: its CloudFormation type, logical id and properties. */
export interface TemplatePlannedResource extends PlannedResource {
  /** The template file it is declared in, and the line. */
  readonly source: { readonly file: string; readonly line: number };
}

/** Type token of a template resource in a URN (CloudFormation's `::` would split it). */
const urnType = (type: string) => `cloudformation:${type.replace(/::/g, ".")}`;

/** The template's resources as children of `stack` (the planned aws.cloudformation.Stack). */
export function templateResources(
  stack: PlannedResource,
  template: CfnTemplate,
  projectDir: string,
): TemplatePlannedResource[] {
  const out: TemplatePlannedResource[] = [];
  const visit = (t: CfnTemplate, parent: PlannedResource) => {
    const qualifier = parent.urn.split("::")[2];
    for (const r of t.resources) {
      const planned: TemplatePlannedResource = {
        urn: `${parent.urn.split("::").slice(0, 2).join("::")}::${qualifier}$${urnType(r.type)}::${r.logicalId}`,
        id: null,
        type: r.type,
        name: r.logicalId,
        parent: parent.urn,
        region: stack.region,
        partition: stack.partition,
        provider: stack.provider,
        custom: true,
        inputs: r.properties,
        source: { file: path.relative(projectDir, t.file), line: r.line },
      };
      out.push(planned);
      const nested = nestedTemplateFile(r, t.file);
      if (nested) visit(readTemplate(nested), planned);
    }
  };
  visit(template, stack);
  return out;
}
