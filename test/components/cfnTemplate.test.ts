import { parseTemplate, templateKinds, TemplateError } from "../../components/cfnTemplate";
import { requiredCapabilities } from "../../stacks/cfnChecks";

const SAM = `AWSTemplateFormatVersion: 2010-09-09
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      FunctionName: !Sub "\${Prefix}-fn"
      Role: !GetAtt FnRole.Arn
  Queue:
    Type: AWS::SQS::Queue
`;

describe("CloudFormation templates", () => {
  it("reads YAML with short-form tags as their long forms, with each resource's line", () => {
    const t = parseTemplate(SAM, "t.yaml");
    expect(t.body.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(t.transforms).toEqual(["AWS::Serverless-2016-10-31"]);
    expect(t.resources.map((r) => [r.logicalId, r.line])).toEqual([
      ["Fn", 4],
      ["Queue", 10],
    ]);
    expect(t.resources[0].properties).toEqual({
      CodeUri: "src/",
      FunctionName: { "Fn::Sub": "${Prefix}-fn" },
      Role: { "Fn::GetAtt": ["FnRole", "Arn"] },
    });
  });

  it("reads JSON", () => {
    const t = parseTemplate(
      JSON.stringify({ Resources: { T: { Type: "AWS::SNS::Topic" } } }, null, 2),
      "t.json",
    );
    expect(t.resources).toEqual([
      { logicalId: "T", type: "AWS::SNS::Topic", properties: {}, line: 3 },
    ]);
  });

  it("refuses what is not a template, naming the file", () => {
    expect(() => parseTemplate("a: [", "bad.yaml")).toThrow(TemplateError);
    expect(() => parseTemplate("Description: x\n", "empty.yaml")).toThrow(
      /empty\.yaml has no Resources/,
    );
  });

  it("finds the kinds it manages, and the stack it is", () => {
    expect(templateKinds(parseTemplate(SAM, "t.yaml")).sort()).toEqual([
      "function",
      "queue",
      "stack",
    ]);
    const noRole = SAM.replace("      Role: !GetAtt FnRole.Arn\n", "");
    expect(templateKinds(parseTemplate(noRole, "t.yaml"))).toContain("role");
  });

  it("asks for the capabilities CloudFormation will ask for", () => {
    expect(requiredCapabilities(parseTemplate(SAM, "t.yaml"))).toEqual(["CAPABILITY_AUTO_EXPAND"]);
    const noRole = SAM.replace("      Role: !GetAtt FnRole.Arn\n", "");
    expect(requiredCapabilities(parseTemplate(noRole, "t.yaml"))).toEqual([
      "CAPABILITY_AUTO_EXPAND",
      "CAPABILITY_IAM",
    ]);
    const named =
      "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: x\n";
    expect(requiredCapabilities(parseTemplate(named, "t.yaml"))).toEqual([
      "CAPABILITY_IAM",
      "CAPABILITY_NAMED_IAM",
    ]);
  });
});
