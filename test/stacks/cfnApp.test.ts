import * as fs from "fs";
import * as path from "path";
import { targetContext } from "../../stacks/appContext";
import { cloudformationApp, MAX_TEMPLATE_BODY_BYTES } from "../../stacks/cfnApp";
import { evaluate, inputsOf, ofType, only, providerFor } from "../helpers/pulumi";
import { tempDir } from "../helpers/tempDir";

const BUCKET = "silkroute-dev-artifacts-cn";

/** A project folder holding `files`. */
function project(files: Record<string, string>): string {
  const dir = tempDir("cfn-");
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const run = (dir: string, args: Partial<Parameters<typeof cloudformationApp>[1]> = {}) =>
  evaluate(async () => {
    const provider = providerFor("cn-north-1", "app");
    const ctx = targetContext(
      {
        env: "dev",
        target: "china",
        region: "cn-north-1",
        artifactBucket: BUCKET,
        version: "v7",
        prefix: "silkroute-dev",
      },
      provider,
      dir,
    );
    return {
      ...cloudformationApp(ctx, {
        template: "app/template.yaml",
        parameters: {},
        artifactBucket: BUCKET,
        baseDir: dir,
        ...args,
      }),
    };
  });

const SAM = [
  "Transform: AWS::Serverless-2016-10-31",
  "Parameters:",
  "  SilkroutePrefix: { Type: String }",
  "Resources:",
  "  Fn:",
  "    Type: AWS::Serverless::Function",
  "    Properties:",
  '      FunctionName: !Sub "${SilkroutePrefix}-fn"',
  "      CodeUri: src/",
  "      Handler: app.handler",
  "      Runtime: nodejs22.x",
  "      Role: !GetAtt R.Arn",
  "  Child:",
  "    Type: AWS::CloudFormation::Stack",
  "    Properties:",
  "      TemplateURL: nested.yaml",
  "",
].join("\n");
const NESTED =
  "Resources:\n  L:\n    Type: AWS::Lambda::Function\n    Properties:\n      Code: layer.py\n";

describe("a CloudFormation app", () => {
  it("packages local code and nested templates into the artifact bucket under the version, like aws cloudformation package", async () => {
    // given
    const dir = project({
      "app/template.yaml": SAM,
      "app/src/app.js": "exports.handler = async () => 1;\n",
      "app/nested.yaml": NESTED,
      "app/layer.py": "def handler(e, c): return 1\n",
    });
    // when
    const stack = await run(dir);
    // then every artifact is an object of the version's folder
    const objects = ofType(stack, "aws:s3/bucketObjectv2:BucketObjectv2").map(inputsOf);
    expect(objects.map((o) => o.key).sort()).toEqual([
      "app/silkroute-dev/v7/Child-L-Code.zip",
      "app/silkroute-dev/v7/Child.template.json",
      "app/silkroute-dev/v7/Fn-CodeUri.zip",
    ]);
    expect(objects.every((o) => o.bucket === BUCKET)).toBe(true);
    const cfn = inputsOf(only(stack, "aws:cloudformation/stack:Stack"));
    const body = JSON.parse(cfn.templateBody);
    expect(body.Resources.Fn.Properties.CodeUri).toBe(
      `s3://${BUCKET}/app/silkroute-dev/v7/Fn-CodeUri.zip`,
    );
    // the nested template by a path-style URL in the China partition's S3 domain
    expect(body.Resources.Child.Properties.TemplateURL).toBe(
      `https://s3.cn-north-1.amazonaws.com.cn/${BUCKET}/app/silkroute-dev/v7/Child.template.json`,
    );
    // silkroute's parameters where declared, the capabilities the template needs, the tags
    expect(cfn.name).toBe("silkroute-dev-app");
    expect(cfn.parameters).toEqual({ SilkroutePrefix: "silkroute-dev" });
    expect(cfn.capabilities).toEqual(["CAPABILITY_AUTO_EXPAND"]);
    expect(cfn.tags).toMatchObject({ "silkroute:version": "v7", "silkroute:env": "dev" });
    expect(stack.outputs.version).toBe("v7");
  });

  it("sends a template past 51,200 bytes by TemplateURL", async () => {
    const big = `${SAM.split("  Child:")[0]}Description: "${"x".repeat(MAX_TEMPLATE_BODY_BYTES)}"\n`;
    const dir = project({ "app/template.yaml": big, "app/src/app.js": "1\n" });
    const cfn = inputsOf(only(await run(dir), "aws:cloudformation/stack:Stack"));
    expect(cfn.templateBody).toBeUndefined();
    expect(cfn.templateUrl).toBe(
      `https://s3.cn-north-1.amazonaws.com.cn/${BUCKET}/app/silkroute-dev/v7/template.json`,
    );
  });

  it.each([
    [
      "a capability the template needs is not acknowledged",
      { capabilities: ["CAPABILITY_IAM"] },
      /needs CAPABILITY_AUTO_EXPAND: add it to silkroute:app\.cloudformation\.capabilities \(pulumi config set --path 'silkroute:app\.cloudformation\.capabilities\[1\]' CAPABILITY_AUTO_EXPAND --stack global\)$/,
    ],
    [
      "a parameter is not the template's",
      { parameters: { Stage: "prod" } },
      /parameters\.Stage is not a parameter of .*template\.yaml\. Run: pulumi config rm --path silkroute:app\.cloudformation\.parameters\.Stage --stack global$/,
    ],
    [
      "a parameter is silkroute's",
      { parameters: { SilkroutePrefix: "x" } },
      /parameter SilkroutePrefix is silkroute's to set: remove it from silkroute:app\.cloudformation\.parameters \(pulumi config rm --path silkroute:app\.cloudformation\.parameters\.SilkroutePrefix --stack global\)$/,
    ],
  ])("fails with one line when %s", async (_, args, message) => {
    const dir = project({
      "app/template.yaml": SAM.split("  Child:")[0],
      "app/src/app.js": "1\n",
    });
    await expect(run(dir, args)).rejects.toThrow(message);
  });

  it("fails naming a parameter without a value, with a command that sets it", async () => {
    const template = SAM.split("  Child:")[0].replace(
      "Parameters:\n",
      "Parameters:\n  Stage: { Type: String }\n",
    );
    const dir = project({ "app/template.yaml": template, "app/src/app.js": "1\n" });
    await expect(run(dir)).rejects.toThrow(
      /has parameters without a value or a Default: Stage\. Set each to its value, e\.g\.: pulumi config set --path silkroute:app\.cloudformation\.parameters\.Stage prod --stack global$/,
    );
  });

  it("fails naming the property when a local path does not exist", async () => {
    const dir = project({ "app/template.yaml": SAM.split("  Child:")[0] });
    await expect(run(dir)).rejects.toThrow(
      /Fn\.CodeUri is "src\/", which is neither an S3 location nor a file or folder/,
    );
  });
});
