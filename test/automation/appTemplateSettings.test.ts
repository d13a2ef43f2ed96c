import * as fs from "fs";
import * as path from "path";
import { main as planMain } from "../../automation/planCli";
import { readTemplate } from "../../components/cfnTemplate";
import { requiredCapabilities, templateSettingsProblem } from "../../stacks/cfnChecks";
import { appPermissionNeeds, checkAppTemplate, ResolvedApp } from "../../stacks/config/app";
import { ConfigError } from "../../stacks/config/read";
import { mockAws } from "../helpers/awsMocks";
import { fixtureProject, run } from "../helpers/driver";
import { tempDir } from "../helpers/tempDir";

const root = path.resolve(__dirname, "../..");

/** A template with one parameter of its own (`Stage`, no Default) and silkroute's `SilkroutePrefix`. */
const TEMPLATE = `Parameters:
  Stage: { Type: String }
  SilkroutePrefix: { Type: String }
Resources:
  Queue: { Type: AWS::SQS::Queue }
  Role:
    Type: AWS::IAM::Role
    Properties: { AssumeRolePolicyDocument: {} }
`;

/** The cloudformation settings of `silkroute:app` for app/template.yaml, with `extra` on top. */
const cloudformation = (extra: object = {}) => ({
  template: "app/template.yaml",
  parameters: { Stage: "prod" },
  ...extra,
});

/** The CLI's line for a message: `silkroute: <message>`. */
const said = (line: RegExp) => new RegExp(`^silkroute: ${line.source.replace(/^\^/, "")}`);

/** The four ways settings and template can disagree, and the line each gets. */
const MISTAKES: [string, object, RegExp][] = [
  [
    "a parameter the template does not declare",
    { parameters: { Stage: "prod", Nope: "x" } },
    /^silkroute:app\.cloudformation\.parameters\.Nope is not a parameter of .*template\.yaml\. Run: pulumi config rm --path silkroute:app\.cloudformation\.parameters\.Nope --stack global$/,
  ],
  [
    "a parameter silkroute sets",
    { parameters: { Stage: "prod", SilkroutePrefix: "x" } },
    /^parameter SilkroutePrefix is silkroute's to set: remove it from silkroute:app\.cloudformation\.parameters \(pulumi config rm --path silkroute:app\.cloudformation\.parameters\.SilkroutePrefix --stack global\)$/,
  ],
  [
    "a parameter without a value or a Default",
    { parameters: {} },
    /^.*template\.yaml has parameters without a value or a Default: Stage\. Set each to its value, e\.g\.: pulumi config set --path silkroute:app\.cloudformation\.parameters\.Stage prod --stack global$/,
  ],
  [
    "a capability the template needs left out",
    { capabilities: ["CAPABILITY_AUTO_EXPAND"] },
    /^.*template\.yaml needs CAPABILITY_IAM: add it to silkroute:app\.cloudformation\.capabilities \(pulumi config set --path 'silkroute:app\.cloudformation\.capabilities\[1\]' CAPABILITY_IAM --stack global\)$/,
  ],
];

describe("a template app's settings are checked against its template before any stack runs", () => {
  const withTemplate = (dir: string) => {
    fs.mkdirSync(path.join(dir, "app"), { recursive: true });
    fs.writeFileSync(path.join(dir, "app", "template.yaml"), TEMPLATE);
    return dir;
  };

  it.each(MISTAKES)("checkAppTemplate: %s is a config error of one line", (_, extra, line) => {
    const dir = withTemplate(tempDir("silkroute-cfn-"));
    const app: ResolvedApp = {
      source: { kind: "cloudformation", ...cloudformation(extra) },
      manages: ["queue"],
      functionsUse: [],
    };
    expect(() => checkAppTemplate(app, dir)).toThrow(ConfigError);
    expect(() => checkAppTemplate(app, dir)).toThrow(line);
  });

  it("checkAppTemplate: CAPABILITY_NAMED_IAM acknowledges unnamed IAM resources too, as CreateStack takes it", () => {
    // given a template with an unnamed role (it needs CAPABILITY_IAM), acknowledged by NAMED_IAM
    const dir = withTemplate(tempDir("silkroute-cfn-"));
    const app: ResolvedApp = {
      source: {
        kind: "cloudformation",
        ...cloudformation({ capabilities: ["CAPABILITY_NAMED_IAM"] }),
      },
      manages: [],
      functionsUse: [],
    };
    // then
    expect(() => checkAppTemplate(app, dir)).not.toThrow();
  });

  it("checkAppTemplate: a parameter named in another case than the template's is moved, in one command", () => {
    const dir = withTemplate(tempDir("silkroute-cfn-"));
    const app: ResolvedApp = {
      source: { kind: "cloudformation", ...cloudformation({ parameters: { stage: "prod" } }) },
      manages: [],
      functionsUse: [],
    };
    expect(() => checkAppTemplate(app, dir)).toThrow(
      /parameters\.stage is not a parameter of .*template\.yaml; did you mean Stage\? Run: pulumi config set --path silkroute:app\.cloudformation\.parameters\.Stage prod --stack global && pulumi config rm --path silkroute:app\.cloudformation\.parameters\.stage --stack global$/,
    );
  });

  it("checkAppTemplate: capabilities left out are all added, in one command", () => {
    const dir = withTemplate(tempDir("silkroute-cfn-"));
    const file = path.join(dir, "app", "template.yaml");
    fs.writeFileSync(
      file,
      `Transform: AWS::Serverless-2016-10-31\n${fs.readFileSync(file, "utf8")}`,
    );
    const app: ResolvedApp = {
      source: { kind: "cloudformation", ...cloudformation({ capabilities: [] }) },
      manages: [],
      functionsUse: [],
    };
    expect(() => checkAppTemplate(app, dir)).toThrow(
      /needs CAPABILITY_AUTO_EXPAND, CAPABILITY_IAM: add them to silkroute:app\.cloudformation\.capabilities \(pulumi config set --path 'silkroute:app\.cloudformation\.capabilities\[0\]' CAPABILITY_AUTO_EXPAND --stack global && pulumi config set --path 'silkroute:app\.cloudformation\.capabilities\[1\]' CAPABILITY_IAM --stack global\)$/,
    );
  });

  it("a nested template that cannot be read is a config error naming the TemplateURL to fix, for the checks and the permissions alike", () => {
    // given a template nesting a file that is not there
    const dir = tempDir("silkroute-cfn-");
    fs.mkdirSync(path.join(dir, "app"));
    fs.writeFileSync(
      path.join(dir, "app", "template.yaml"),
      "Resources:\n  N: { Type: AWS::CloudFormation::Stack, Properties: { TemplateURL: child.yaml } }\n",
    );
    const app: ResolvedApp = {
      source: { kind: "cloudformation", template: "app/template.yaml", parameters: {} },
      manages: [],
      functionsUse: [],
    };
    const line =
      /^silkroute:app\.cloudformation\.template: cannot read the template .*child\.yaml \(ENOENT\), a template app\/template\.yaml nests: fix the TemplateURL that names it \(a path relative to app\/template\.yaml\)$/;
    // then
    for (const read of [checkAppTemplate, appPermissionNeeds]) {
      expect(() => read(app, dir)).toThrow(ConfigError);
      expect(() => read(app, dir)).toThrow(line);
    }
  });

  it("checkAppTemplate: settings that agree with the template pass, and other apps are not read", () => {
    const dir = withTemplate(tempDir("silkroute-cfn-"));
    const app = (source: ResolvedApp["source"]): ResolvedApp => ({
      source,
      manages: [],
      functionsUse: [],
    });
    expect(() =>
      checkAppTemplate(app({ kind: "cloudformation", ...cloudformation() }), dir),
    ).not.toThrow();
    expect(() => checkAppTemplate(app({ kind: "program", program: "nope.ts" }), dir)).not.toThrow();
  });

  it.each(MISTAKES)("silkroute plan: %s exits 2 with that line alone", async (_, extra, line) => {
    // given the shipped config with a template app whose settings disagree with it
    const dir = withTemplate(tempDir("silkroute-cfn-plan-"));
    for (const f of ["Pulumi.yaml", "Pulumi.global.yaml", "Pulumi.china.yaml", "package.json"]) {
      fs.copyFileSync(path.join(root, f), path.join(dir, f));
    }
    const app = { cloudformation: cloudformation(extra), manages: ["queue"] };
    fs.appendFileSync(
      path.join(dir, "Pulumi.global.yaml"),
      `  silkroute:app: ${JSON.stringify(app)}\n`,
    );
    // when
    const err: string[] = [];
    const code = await planMain(["plan", "--json"], {
      io: { out: () => undefined, err: (t) => err.push(t) },
      projectDir: dir,
      services: { env: {} },
    });
    // then
    expect({ code, err }).toEqual({ code: 2, err: [expect.stringMatching(said(line))] });
  });

  it.each(MISTAKES)(
    "silkroute deploy: %s exits 2 with that line, before any AWS call or Pulumi operation",
    async (_, extra, line) => {
      // given the driver's fixture project with such a template app
      const dir = withTemplate(fixtureProject());
      const app = { cloudformation: cloudformation(extra), manages: ["queue"] };
      fs.appendFileSync(
        path.join(dir, "Pulumi.global.yaml"),
        `  silkroute:app: ${JSON.stringify(app)}\n`,
      );
      const aws = mockAws();
      try {
        // when
        const { code, err, fake } = await run(["deploy", "--env", "dev", "--target", "all"], {
          projectDir: dir,
        });
        // then
        expect({ code, err }).toEqual({ code: 2, err: [expect.stringMatching(said(line))] });
        expect(fake.calls).toEqual([]);
        for (const client of [aws.ssm, aws.sts, aws.iam, aws.s3])
          expect(client.calls()).toEqual([]);
      } finally {
        aws.restore();
      }
    },
  );
});

describe("a template app's parameter values are checked as CloudFormation checks them", () => {
  const TYPED = `Parameters:
  Memory: { Type: Number, MinValue: 128, MaxValue: 10240 }
  Color: { Type: String, AllowedValues: [blue, green] }
  Code: { Type: String, AllowedPattern: "[a-z]+", MinLength: 2, MaxLength: 5 }
  Ports: { Type: List<Number> }
  Pin: { Type: Number, NoEcho: true }
  Vpc: { Type: "AWS::EC2::VPC::Id" }
Resources:
  Queue: { Type: AWS::SQS::Queue }
`;
  const GOOD = { Memory: "256", Color: "green", Code: "abc", Ports: "80,443", Pin: "4", Vpc: "v" };
  const check = (parameters: Record<string, string>) => () => {
    const dir = tempDir("silkroute-cfn-values-");
    fs.mkdirSync(path.join(dir, "app"));
    fs.writeFileSync(path.join(dir, "app", "template.yaml"), TYPED);
    const source = { kind: "cloudformation" as const, template: "app/template.yaml", parameters };
    checkAppTemplate({ source, manages: [], functionsUse: [] }, dir);
  };
  // A number is set as a string (--type string), as the config holds every parameter value.
  const set = (name: string, value: string) =>
    `Run: pulumi config set --path ${/^\d+$/.test(value) ? "--type string " : ""}silkroute:app.cloudformation.parameters.${name} ${value} --stack global`;

  it("takes values of each declared type and constraint, and leaves AWS-specific types to CloudFormation", () => {
    expect(check(GOOD)).not.toThrow();
    expect(check({ ...GOOD, Memory: "128", Ports: "1", Vpc: "not-checked" })).not.toThrow();
  });

  it.each([
    [
      "Memory",
      "prod",
      `is "prod", but .*template\\.yaml takes a Number\\. ${set("Memory", "128")}$`,
    ],
    [
      "Memory",
      "64",
      `is "64", but .* takes a Number from 128 to 10240\\. ${set("Memory", "128")}$`,
    ],
    ["Color", "red", `is "red", but .* takes one of blue, green\\. ${set("Color", "blue")}$`],
    ["Code", "ABC", `is "ABC", but .* takes a String matching \\[a-z\\]\\+\\.`],
    ["Code", "a", `is "a", but .* takes a String of 2 to 5 characters\\.`],
    [
      "Ports",
      "80,http",
      `is "80,http", but .* takes a comma-separated list of Numbers\\. ${set("Ports", "1,2")}$`,
    ],
  ])(
    "refuses %s = %j with one line naming the constraint and a value it takes",
    (name, value, line) => {
      expect(check({ ...GOOD, [name]: value })).toThrow(ConfigError);
      expect(check({ ...GOOD, [name]: value })).toThrow(
        new RegExp(`^silkroute:app\\.cloudformation\\.parameters\\.${name} ${line}`),
      );
    },
  );

  it("does not print the value of a NoEcho parameter it refuses", () => {
    expect(check({ ...GOOD, Pin: "s3cr3t-pin" })).toThrow(
      /^silkroute:app\.cloudformation\.parameters\.Pin: .*template\.yaml takes a Number\. Run: /,
    );
    expect(check({ ...GOOD, Pin: "s3cr3t-pin" })).not.toThrow(/s3cr3t/);
  });

  it("suggests, for a parameter left unset, a value its declaration takes", () => {
    const without = (name: keyof typeof GOOD) =>
      Object.fromEntries(Object.entries(GOOD).filter(([k]) => k !== name));
    expect(check(without("Memory"))).toThrow(
      /has parameters without a value or a Default: Memory\. Set each to its value, e\.g\.: pulumi config set --path --type string silkroute:app\.cloudformation\.parameters\.Memory 128 --stack global$/,
    );
    expect(check(without("Color"))).toThrow(/parameters\.Color blue --stack global$/);
  });
});

describe("the capabilities a template needs, nested templates included", () => {
  /** requiredCapabilities of `files` (name → text), the first being the template. */
  const needs = (files: Record<string, string>) => {
    const dir = tempDir("silkroute-cfn-caps-");
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return requiredCapabilities(readTemplate(path.join(dir, Object.keys(files)[0]!)));
  };
  const QUEUE = "  Queue: { Type: AWS::SQS::Queue }\n";

  it.each([
    [
      "a plain nested stack asks for nothing",
      {
        "t.yaml": `Resources:\n  N: { Type: AWS::CloudFormation::Stack, Properties: { TemplateURL: c.yaml } }\n`,
        "c.yaml": `Resources:\n${QUEUE}`,
      },
      [],
    ],
    [
      "an IAM role in a nested template asks the parent for IAM",
      {
        "t.yaml": `Resources:\n  N: { Type: AWS::CloudFormation::Stack, Properties: { TemplateURL: c.yaml } }\n`,
        "c.yaml": `Resources:\n  R: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: {} } }\n`,
      },
      ["CAPABILITY_IAM"],
    ],
    [
      "a transform in a nested template asks the parent for AUTO_EXPAND",
      {
        "t.yaml": `Resources:\n  N: { Type: AWS::CloudFormation::Stack, Properties: { TemplateURL: c.yaml } }\n`,
        "c.yaml": `Transform: AWS::Serverless-2016-10-31\nResources:\n${QUEUE}`,
      },
      ["CAPABILITY_AUTO_EXPAND"],
    ],
    [
      "Fn::Transform (AWS::Include) anywhere asks for AUTO_EXPAND",
      {
        "t.yaml": `Resources:\n${QUEUE}  Q2:\n    Type: AWS::SQS::Queue\n    Properties:\n      Fn::Transform: { Name: AWS::Include, Parameters: { Location: s3://b/k } }\n`,
      },
      ["CAPABILITY_AUTO_EXPAND"],
    ],
    [
      "a SAM function with a Role and a DeploymentPreference (a CodeDeploy role)",
      {
        "t.yaml": `Transform: AWS::Serverless-2016-10-31\nResources:\n  F: { Type: AWS::Serverless::Function, Properties: { Role: arn:aws:iam::1:role/r, DeploymentPreference: { Type: AllAtOnce } } }\n`,
      },
      ["CAPABILITY_AUTO_EXPAND", "CAPABILITY_IAM"],
    ],
    [
      "a SAM function with a Role and nothing else",
      {
        "t.yaml": `Transform: AWS::Serverless-2016-10-31\nResources:\n  F: { Type: AWS::Serverless::Function, Properties: { Role: arn:aws:iam::1:role/r } }\n`,
      },
      ["CAPABILITY_AUTO_EXPAND"],
    ],
    [
      "a SAM state machine with a Role and Events (roles to start it)",
      {
        "t.yaml": `Transform: AWS::Serverless-2016-10-31\nResources:\n  S: { Type: AWS::Serverless::StateMachine, Properties: { Role: arn:aws:iam::1:role/r, Events: { E: { Type: Schedule } } } }\n`,
      },
      ["CAPABILITY_AUTO_EXPAND", "CAPABILITY_IAM"],
    ],
    [
      "a SAM Connector (policies)",
      {
        "t.yaml": `Transform: AWS::Serverless-2016-10-31\nResources:\n  C: { Type: AWS::Serverless::Connector, Properties: {} }\n`,
      },
      ["CAPABILITY_AUTO_EXPAND", "CAPABILITY_IAM"],
    ],
  ])("%s", (_, files, caps) => {
    expect(needs(files)).toEqual(caps);
  });
});

describe("AllowedPattern, as CloudFormation (Java) reads it", () => {
  const problem = (pattern: string, value: string, type = "String") => {
    const dir = tempDir("silkroute-cfn-pattern-");
    const file = path.join(dir, "t.yaml");
    const spec = { Type: type, AllowedPattern: pattern };
    fs.writeFileSync(
      file,
      `Parameters:\n  P: ${JSON.stringify(spec)}\nResources:\n  Q: { Type: AWS::SQS::Queue }\n`,
    );
    return templateSettingsProblem(readTemplate(file), { parameters: { P: value } });
  };

  it.each([
    ["[a-z0-9-]+", "ab-1"],
    ["[\\w\\-]+", "a_b-c"],
    // Java-only constructs are not checked, rather than read as JavaScript would (and refuse)
    ["\\p{Alnum}+", "abc1"],
    ["\\Qa.b\\E", "a.b"],
    ["\\A[a-z]+\\z", "abc"],
    ["[a-z&&[^q]]+", "abc"],
    // a character beyond 16 bits is one character, as Java's matcher takes it
    [".", "😀"],
  ])("takes what CloudFormation takes: %s, %j", (pattern, value) => {
    expect(problem(pattern, value)).toBeUndefined();
  });

  it("refuses a value the pattern does not match whole, and checks each value of a list", () => {
    expect(problem("[a-z]+", "abc1")).toMatch(/takes a String matching \[a-z\]\+\./);
    expect(problem("[a-z]+", "a, b", "CommaDelimitedList")).toBeUndefined();
    expect(problem("[a-z]+", "a,B", "CommaDelimitedList")).toMatch(
      /takes a comma-separated list of values each matching \[a-z\]\+\./,
    );
  });

  it("counts a character beyond 16 bits as Java or as one, refusing only what both refuse", () => {
    const dir = tempDir("silkroute-cfn-length-");
    const file = path.join(dir, "t.yaml");
    fs.writeFileSync(
      file,
      `Parameters:\n  A: { Type: String, MaxLength: 1 }\n  B: { Type: String, MinLength: 2 }\nResources:\n  Q: { Type: AWS::SQS::Queue }\n`,
    );
    const template = readTemplate(file);
    expect(templateSettingsProblem(template, { parameters: { A: "😀", B: "😀" } })).toBeUndefined();
    expect(templateSettingsProblem(template, { parameters: { A: "ab", B: "😀" } })).toMatch(
      /A is "ab", but .* takes a String of 0 to 1 characters\./,
    );
  });
});
