import { LAMBDA_POLICIES } from "../../automation/policies/lambda";
import { APP_RUNTIME } from "../../stacks/app";
import { messages, planned, policyNamed } from "../helpers/planned";

const runtime = policyNamed(LAMBDA_POLICIES, "lambda-supported-runtime");
const publicAccess = policyNamed(LAMBDA_POLICIES, "lambda-no-public-access");
const FN = "aws:lambda/function:Function";

describe("lambda-supported-runtime", () => {
  it("passes the app stack's runtime", () => {
    expect(messages(runtime, planned(FN, { runtime: APP_RUNTIME }))).toEqual([]);
  });

  it("flags nodejs20.x, deprecated since 2026-04-30", () => {
    expect(messages(runtime, planned(FN, { runtime: "nodejs20.x" }))).toEqual([
      expect.stringContaining("runtime nodejs20.x is not in the supported list"),
    ]);
  });

  it("flags a function with no runtime unless it is a container image", () => {
    expect(messages(runtime, planned(FN, {}))).toHaveLength(1);
    expect(messages(runtime, planned(FN, { packageType: "Image" }))).toEqual([]);
  });
});

describe("lambda-no-public-access", () => {
  it("passes a function URL with IAM auth", () => {
    const url = planned("aws:lambda/functionUrl:FunctionUrl", { authorizationType: "AWS_IAM" });
    expect(messages(publicAccess, url)).toEqual([]);
  });

  it("flags a function URL with auth NONE", () => {
    const url = planned("aws:lambda/functionUrl:FunctionUrl", { authorizationType: "NONE" });
    expect(messages(publicAccess, url)).toEqual([expect.stringContaining("is public")]);
  });

  it("flags a permission for everyone and passes one for a service", () => {
    const anyone = planned("aws:lambda/permission:Permission", { principal: "*" });
    const service = planned("aws:lambda/permission:Permission", {
      principal: "events.amazonaws.com",
    });
    expect(messages(publicAccess, anyone)).toHaveLength(1);
    expect(messages(publicAccess, service)).toEqual([]);
  });
});
