import { APP_KINDS } from "../../../components/appKinds";
import { iamAction } from "../../../components/iam/iamData";
import CFN_DATA from "../../../automation/app/cfnData.json";
import { PULUMI_TYPES, SAM_TYPES } from "../../../automation/app/resourceTypes";
import { ownActions } from "../../../automation/app/preflight";
import { kindOfCfnType } from "../../../components/appKinds";
import { readsDuring } from "../../helpers/readsDuring";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { HANDLER_TYPES } = require("../../../scripts/cfn-data.js") as { HANDLER_TYPES: string[] };

const handlers = CFN_DATA.handlers as Record<string, { create: string[]; update: string[] }>;

describe("cfnData.json (generated from cfn-lint's data by scripts/cfn-data.js)", () => {
  it("records its source and the schemas' date", () => {
    expect(CFN_DATA.source).toMatch(/^cfn-lint \d+\.\d+\.\d+ \(PyPI\)/);
    expect(CFN_DATA.schemaDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it("has the handlers of every CloudFormation type the kinds and the Pulumi type map name, and the script lists them", () => {
    const named = new Set([
      ...APP_KINDS.flatMap((k) => k.cfnTypes).filter((t) => !t.startsWith("AWS::Serverless::")),
      ...Object.values(PULUMI_TYPES).map((i) => i.cfnType),
      ...Object.values(SAM_TYPES),
    ]);
    const missing = [...named].filter(
      (t) =>
        handlers[t] === undefined && !["AWS::Lambda::Version", "AWS::Lambda::Alias"].includes(t),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(handlers).sort()).toEqual([...HANDLER_TYPES].sort());
  });

  it("gives every kind's main type a create action IAM knows, on the kind's own resource type", () => {
    for (const kind of APP_KINDS.filter((k) => k.name !== "api")) {
      const main = kind.cfnTypes.find((t) => handlers[t] !== undefined)!;
      expect([kind.name, ownActions(main, kind).length > 0]).toEqual([kind.name, true]);
      for (const action of ownActions(main, kind)) expect(iamAction(action)).toBeDefined();
    }
  });

  it("reads the IAM data of the kind's own service only, not that of the other services its handlers call", () => {
    // given a fresh iamData cache, and a kind whose handlers call other services (Lambda: ec2, kms, s3…)
    const kind = kindOfCfnType("AWS::Lambda::Function")!;
    const services = new Set(
      (CFN_DATA.handlers as Record<string, { create: string[] }>)[
        "AWS::Lambda::Function"
      ].create.map((a) => a.split(":")[0]),
    );
    expect(services.size).toBeGreaterThan(1);
    const read = readsDuring(() =>
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require("../../../automation/app/preflight") as {
          ownActions: typeof ownActions;
        };
        // when
        expect(fresh.ownActions("AWS::Lambda::Function", kind).length).toBeGreaterThan(0);
      }),
    );
    // then
    const actionFiles = read.filter((f) => /iam-data[/\\]data[/\\]actions[/\\]/.test(f));
    expect(actionFiles.map((f) => f.split(/[/\\]/).pop())).toEqual(["lambda.json"]);
  });

  it("lists, per China Region, types CloudFormation offers in us-east-1 but not there, sorted", () => {
    for (const region of ["cn-north-1", "cn-northwest-1"] as const) {
      const missing = CFN_DATA.missingInChina[region];
      expect(missing.length).toBeGreaterThan(0);
      expect([...missing].sort()).toEqual(missing);
      // the types the examples and the sample use are offered there
      for (const t of [
        "AWS::Lambda::Function",
        "AWS::SQS::Queue",
        "AWS::DynamoDB::Table",
        "AWS::Logs::LogGroup",
      ]) {
        expect(missing).not.toContain(t);
      }
    }
  });

  it("maps SAM's types to the kind of what they expand to", () => {
    for (const [sam, cfn] of Object.entries(SAM_TYPES)) {
      expect([sam, kindOfCfnType(cfn)?.name]).toEqual([sam, kindOfCfnType(sam)?.name]);
    }
  });
});
