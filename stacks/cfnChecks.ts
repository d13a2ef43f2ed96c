import type { CfnTemplate } from "../components/cfnTemplate";
import { removeCommand, setCommand } from "./config/read";

/*
 * What a CloudFormation app's config must agree with in its template: the
 * capabilities it acknowledges and the parameters it sets. Checked before
 * any stack runs (checkAppTemplate, stacks/config/app.ts: a config error)
 * and by the app's program itself (cfnApp.ts).
 */

/** The value the config's examples and messages give a template parameter. */
export const PARAMETER_EXAMPLE = "prod";

/** Parameters silkroute fills when the template declares them (cfnApp.ts gives their values). */
export const SILKROUTE_PARAMETERS = [
  "SilkrouteEnv",
  "SilkrouteTarget",
  "SilkroutePrefix",
  "SilkrouteVersion",
  "SilkroutePermissionsBoundary",
] as const;

const IAM_TYPES =
  /^AWS::IAM::(AccessKey|Group|InstanceProfile|ManagedPolicy|Policy|Role|User|UserToGroupAddition)$/;
const NAMED_IAM: Record<string, string> = {
  "AWS::IAM::Role": "RoleName",
  "AWS::IAM::User": "UserName",
  "AWS::IAM::Group": "GroupName",
  "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
  "AWS::IAM::InstanceProfile": "InstanceProfileName",
};

/**
 * The capabilities CloudFormation asks of this template (CreateStack's
 * Capabilities): AUTO_EXPAND for a transform or a nested stack, IAM for IAM
 * resources (SAM functions without a Role create one), NAMED_IAM for named ones.
 */
export function requiredCapabilities(template: CfnTemplate): string[] {
  const caps = new Set<string>();
  if (template.transforms.length > 0) caps.add("CAPABILITY_AUTO_EXPAND");
  for (const r of template.resources) {
    if (r.type === "AWS::CloudFormation::Stack") caps.add("CAPABILITY_AUTO_EXPAND");
    const samRole =
      (r.type === "AWS::Serverless::Function" || r.type === "AWS::Serverless::StateMachine") &&
      r.properties.Role === undefined;
    if (IAM_TYPES.test(r.type) || samRole) caps.add("CAPABILITY_IAM");
    const nameKey = NAMED_IAM[r.type];
    if (nameKey !== undefined && r.properties[nameKey] !== undefined) {
      caps.add("CAPABILITY_NAMED_IAM");
    }
  }
  return [...caps].sort();
}

/**
 * Whether a capability given acknowledges one the template needs: CAPABILITY_NAMED_IAM covers
 * CAPABILITY_IAM ("If you have IAM resources, you can specify either capability", CreateStack).
 */
const acknowledges = (given: string, needed: string) =>
  given === needed || (needed === "CAPABILITY_IAM" && given === "CAPABILITY_NAMED_IAM");

/** What `silkroute:app.cloudformation` sets beside the template. */
export interface TemplateSettings {
  readonly parameters: Readonly<Record<string, string>>;
  /** @default requiredCapabilities(template) */
  readonly capabilities?: readonly string[];
}

/** The template's declared parameters, by name, with their specs. */
export function declaredParameters(template: CfnTemplate): Record<string, unknown> {
  const declared = template.body.Parameters;
  return typeof declared === "object" && declared !== null && !Array.isArray(declared)
    ? (declared as Record<string, unknown>)
    : {};
}

/**
 * The first way the settings disagree with the template, as one line naming
 * the config key and the command that fixes it; undefined when they agree.
 */
export function templateSettingsProblem(
  template: CfnTemplate,
  settings: TemplateSettings,
): string | undefined {
  const required = requiredCapabilities(template);
  const capabilities = settings.capabilities ?? required;
  const missing = required.filter((c) => !capabilities.some((given) => acknowledges(given, c)));
  if (missing.length > 0) {
    return `${template.file} needs ${missing.join(", ")}: add it to silkroute:app.cloudformation.capabilities (${setCommand(["app", "cloudformation", "capabilities", capabilities.length], missing[0]!, "global")})`;
  }
  const own: readonly string[] = SILKROUTE_PARAMETERS;
  const declared = declaredParameters(template);
  const clash = Object.keys(settings.parameters).find((k) => own.includes(k));
  if (clash !== undefined) {
    return `parameter ${clash} is silkroute's to set: remove it from silkroute:app.cloudformation.parameters (${removeCommand(["app", "cloudformation", "parameters", clash], "global")})`;
  }
  const unknown = Object.keys(settings.parameters).find((k) => !(k in declared));
  if (unknown !== undefined) {
    return `silkroute:app.cloudformation.parameters.${unknown} is not a parameter of ${template.file}. Run: ${removeCommand(["app", "cloudformation", "parameters", unknown], "global")}`;
  }
  const unset = Object.entries(declared)
    .filter(
      ([name, spec]) =>
        settings.parameters[name] === undefined &&
        !own.includes(name) &&
        !(typeof spec === "object" && spec !== null && "Default" in spec),
    )
    .map(([name]) => name);
  if (unset.length > 0) {
    return `${template.file} has parameters without a value or a Default: ${unset.join(", ")}. Set each to its value, e.g.: ${setCommand(["app", "cloudformation", "parameters", unset[0]!], PARAMETER_EXAMPLE, "global")}`;
  }
  return undefined;
}
