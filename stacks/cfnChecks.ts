import type { CfnTemplate, TemplateResource } from "../components/cfnTemplate";
import { withNested } from "../components/cfnTemplate";
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
 * The capabilities CloudFormation asks of this template and the local
 * templates it nests (CreateStack's Capabilities; a nested stack is created
 * with its parent's): AUTO_EXPAND for a transform (`Transform`, or
 * `Fn::Transform` anywhere), IAM for IAM resources and for what SAM makes
 * roles or policies for, NAMED_IAM for named IAM resources.
 */
export function requiredCapabilities(template: CfnTemplate): string[] {
  const caps = new Set<string>();
  for (const t of withNested(template)) {
    if (t.transforms.length > 0 || holdsKey(t.body, "Fn::Transform")) {
      caps.add("CAPABILITY_AUTO_EXPAND");
    }
    for (const r of t.resources) {
      if (IAM_TYPES.test(r.type) || samMakesIam(r)) caps.add("CAPABILITY_IAM");
      const nameKey = NAMED_IAM[r.type];
      if (nameKey !== undefined && r.properties[nameKey] !== undefined) {
        caps.add("CAPABILITY_NAMED_IAM");
      }
    }
  }
  return [...caps].sort();
}

/**
 * Whether SAM makes an IAM role or policy for the resource: a function or
 * state machine without a Role, a function's DeploymentPreference (a
 * CodeDeploy role), a state machine's Events (roles to start it), a
 * Connector (policies), a GraphQLApi (roles).
 */
function samMakesIam(r: TemplateResource): boolean {
  const p = r.properties;
  switch (r.type) {
    case "AWS::Serverless::Function":
      return p.Role === undefined || p.DeploymentPreference !== undefined;
    case "AWS::Serverless::StateMachine":
      return p.Role === undefined || p.Events !== undefined;
    case "AWS::Serverless::Connector":
    case "AWS::Serverless::GraphQLApi":
      return true;
    default:
      return false;
  }
}

/** Whether `key` is a key anywhere in `value`. */
function holdsKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((v) => holdsKey(v, key));
  if (typeof value !== "object" || value === null) return false;
  return Object.entries(value).some(([k, v]) => k === key || holdsKey(v, key));
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
    const adds = missing.map((c, i) =>
      setCommand(["app", "cloudformation", "capabilities", capabilities.length + i], c, "global"),
    );
    return `${template.file} needs ${missing.join(", ")}: add ${missing.length > 1 ? "them" : "it"} to silkroute:app.cloudformation.capabilities (${adds.join(" && ")})`;
  }
  const own: readonly string[] = SILKROUTE_PARAMETERS;
  const declared = declaredParameters(template);
  const clash = Object.keys(settings.parameters).find((k) => own.includes(k));
  if (clash !== undefined) {
    return `parameter ${clash} is silkroute's to set: remove it from silkroute:app.cloudformation.parameters (${removeCommand(["app", "cloudformation", "parameters", clash], "global")})`;
  }
  const unknown = Object.keys(settings.parameters).find((k) => !(k in declared));
  if (unknown !== undefined) {
    const remove = removeCommand(["app", "cloudformation", "parameters", unknown], "global");
    // Parameter names are case-sensitive: `greeting` for the template's `Greeting` is moved.
    const meant = Object.keys(declared).find((d) => d.toLowerCase() === unknown.toLowerCase());
    if (meant !== undefined && settings.parameters[meant] === undefined) {
      const value = settings.parameters[unknown]!;
      return `silkroute:app.cloudformation.parameters.${unknown} is not a parameter of ${template.file}; did you mean ${meant}? Run: ${setCommand(["app", "cloudformation", "parameters", meant], value, "global")} && ${remove}`;
    }
    return `silkroute:app.cloudformation.parameters.${unknown} is not a parameter of ${template.file}. Run: ${remove}`;
  }
  for (const [name, value] of Object.entries(settings.parameters)) {
    const spec = specOf(declared[name]);
    const broken = valueProblem(value, spec);
    if (broken !== undefined) {
      // A NoEcho parameter's value is not printed (CloudFormation masks it too).
      const key = `silkroute:app.cloudformation.parameters.${name}`;
      const said =
        spec.NoEcho === true || spec.NoEcho === "true"
          ? `${key}: ${template.file} takes ${broken}`
          : `${key} is ${JSON.stringify(value)}, but ${template.file} takes ${broken}`;
      return `${said}. Run: ${setCommand(["app", "cloudformation", "parameters", name], exampleOf(spec), "global")}`;
    }
  }
  const unset = Object.entries(declared)
    .filter(
      ([name, spec]) =>
        settings.parameters[name] === undefined &&
        !own.includes(name) &&
        specOf(spec).Default === undefined,
    )
    .map(([name]) => name);
  if (unset.length > 0) {
    return `${template.file} has parameters without a value or a Default: ${unset.join(", ")}. Set each to its value, e.g.: ${setCommand(["app", "cloudformation", "parameters", unset[0]!], exampleOf(specOf(declared[unset[0]!])), "global")}`;
  }
  return undefined;
}

/** What of a parameter's declaration (CloudFormation template anatomy, Parameters) is checked. */
interface ParameterSpec {
  readonly Type?: unknown;
  readonly Default?: unknown;
  readonly AllowedValues?: unknown;
  readonly AllowedPattern?: unknown;
  readonly MinLength?: unknown;
  readonly MaxLength?: unknown;
  readonly MinValue?: unknown;
  readonly MaxValue?: unknown;
  readonly NoEcho?: unknown;
}

const specOf = (spec: unknown): ParameterSpec =>
  typeof spec === "object" && spec !== null ? (spec as ParameterSpec) : {};

const isNumber = (text: string) => text.trim() !== "" && Number.isFinite(Number(text));
const numberOr = (v: unknown) => (typeof v === "number" || typeof v === "string" ? Number(v) : NaN);

/**
 * Why CloudFormation would refuse `value` for a parameter so declared (`a Number`, `one of
 * blue, green`), or undefined. Only what it checks itself, and only for the types a value
 * can be checked offline: a String's AllowedValues, AllowedPattern (matched whole, as
 * CloudFormation does) and lengths, a Number's value and range, a List<Number>'s numbers, a
 * CommaDelimitedList's values against its AllowedPattern.
 * AWS-specific types (`AWS::EC2::VPC::Id`, SSM parameter types) are left to CloudFormation.
 */
function valueProblem(value: string, spec: ParameterSpec): string | undefined {
  const type = typeof spec.Type === "string" ? spec.Type : "String";
  const allowed = Array.isArray(spec.AllowedValues) ? spec.AllowedValues.map(String) : undefined;
  if ((type === "String" || type === "Number") && allowed && !allowed.includes(value)) {
    return `one of ${allowed.join(", ")}`;
  }
  if (type === "Number") {
    if (!isNumber(value)) return "a Number";
    const [min, max] = [numberOr(spec.MinValue), numberOr(spec.MaxValue)];
    if (Number(value) < min || Number(value) > max) {
      return `a Number from ${Number.isNaN(min) ? "any" : min} to ${Number.isNaN(max) ? "any" : max}`;
    }
  }
  if (type === "List<Number>" && !value.split(",").every(isNumber)) {
    return "a comma-separated list of Numbers";
  }
  if (type === "String") {
    // Characters counted both ways (UTF-16 units, as Java counts, and code points): refused
    // only when both are out of range.
    const [units, points] = [value.length, [...value].length];
    const [min, max] = [numberOr(spec.MinLength), numberOr(spec.MaxLength)];
    if (units < min || points > max) {
      return `a String of ${Number.isNaN(min) ? 0 : min} to ${Number.isNaN(max) ? "any number of" : max} characters`;
    }
  }
  const pattern =
    typeof spec.AllowedPattern === "string" ? wholeMatch(spec.AllowedPattern) : undefined;
  if (pattern && type === "String" && !pattern.test(value)) {
    return `a String matching ${spec.AllowedPattern as string}`;
  }
  // A list's pattern is matched by each of its values.
  const each = value.split(",").map((v) => v.trim());
  if (pattern && type === "CommaDelimitedList" && !each.every((v) => pattern.test(v))) {
    return `a comma-separated list of values each matching ${spec.AllowedPattern as string}`;
  }
  return undefined;
}

/**
 * The pattern matched against the whole value, as CloudFormation matches it; undefined (not
 * checked) when JavaScript's Unicode mode cannot read it. CloudFormation reads a Java pattern:
 * its own constructs (`\p{Alnum}`, `\Q…\E`, `\A`, class unions) are syntax errors in Unicode
 * mode, where outside it they would mean something else and refuse values CloudFormation takes.
 */
function wholeMatch(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, "u");
  } catch {
    return undefined;
  }
}

/** The value a command that fixes a parameter suggests: one it allows, else one of its type. */
function exampleOf(spec: ParameterSpec): string {
  if (Array.isArray(spec.AllowedValues) && spec.AllowedValues.length > 0) {
    return String(spec.AllowedValues[0]);
  }
  if (spec.Type === "Number")
    return Number.isNaN(numberOr(spec.MinValue)) ? "1" : String(spec.MinValue);
  if (spec.Type === "List<Number>") return "1,2";
  return spec.AllowedPattern === undefined ? PARAMETER_EXAMPLE : "<value>";
}
