import { Policy, resourcePolicy } from "./types";

/**
 * Runtimes that exist in both partitions and are not deprecated. Lambda
 * runtimes reach the China Regions late: add one only once it is listed for
 * cn-north-1 and cn-northwest-1, and drop one at its deprecation date
 * (nodejs20.x was deprecated on 2026-04-30).
 */
export const SUPPORTED_RUNTIMES: readonly string[] = [
  "nodejs22.x",
  "python3.12",
  "python3.13",
  "java21",
  "java17",
  "dotnet8",
  "provided.al2023",
];

export const LAMBDA_POLICIES: readonly Policy[] = [
  resourcePolicy({
    name: "lambda-supported-runtime",
    description: "Lambda functions use a supported runtime available in both partitions.",
    controls: ["Lambda.2"],
    types: ["aws:lambda/function:Function"],
    check: (r) => {
      const runtime = r.inputs.runtime;
      if (r.inputs.packageType === "Image") return [];
      return typeof runtime === "string" && SUPPORTED_RUNTIMES.includes(runtime)
        ? []
        : [
            `runtime ${String(runtime)} is not in the supported list (${SUPPORTED_RUNTIMES.join(", ")})`,
          ];
    },
  }),
  resourcePolicy({
    name: "lambda-no-public-access",
    description:
      "No Lambda function URL without authentication and no function permission granted to everyone.",
    controls: ["Lambda.1"],
    types: ["aws:lambda/functionUrl:FunctionUrl", "aws:lambda/permission:Permission"],
    check: (r) => {
      if (r.type === "aws:lambda/functionUrl:FunctionUrl") {
        return r.inputs.authorizationType === "NONE"
          ? ["function URL with authorizationType NONE is public: use AWS_IAM"]
          : [];
      }
      return r.inputs.principal === "*"
        ? ['permission grants invoke to principal "*": name the service or account']
        : [];
    },
  }),
];
