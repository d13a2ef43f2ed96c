import { main } from "../../automation/cli";
import type { DriverServices } from "../../automation/driver/context";
import { FakePulumi, FakeStack } from "./fakePulumi";
import { removedAfter } from "./tempDir";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { projectFolder } = require("../../bench/projects.js") as {
  projectFolder(
    prefix: string,
    project: { name: string; version: string; config: Record<string, unknown> },
  ): string;
};

/** A project folder with a small Pulumi.global.yaml: dev in two global Regions and China. */
export function fixtureProject(): string {
  return removedAfter(
    projectFolder("silkroute-driver-", {
      name: "app",
      version: "1.2.3",
      config: {
        "silkroute:pipelineRegion": "us-east-1",
        "silkroute:chinaRegion": "cn-north-1",
        "silkroute:environments": [
          { name: "dev", globalRegions: ["us-east-1", "eu-west-1"] },
          {
            name: "prod",
            globalRegions: ["us-east-1"],
            crossAccount: { accountId: "333333333333", roleName: "deployer" },
          },
          { name: "lab", china: false },
        ],
      },
    }),
  );
}

export const KEY_ID = "AKIAEXAMPLECHINA0001";
export const SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
export const CHINA_BUCKET = "silkroute-dev-artifacts-cn";
export const PASSPHRASE = "correct horse battery staple";

/** What a build that comments on GitHub has besides: a token and the repository. */
export const GITHUB_COMMENT_ENV = {
  GITHUB_TOKEN: "ghp_exampleCommentToken000000000000000",
  GITHUB_REPOSITORY: "acme/app",
} as const;

/** Variables a CodeBuild deploy project would have (no AWS_* keys). */
export function pipelineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: "/usr/bin", PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, ...extra };
}

export interface RunResult {
  code: number;
  out: string[];
  err: string[];
  /** stdout and stderr, one string. */
  all: string;
}

export interface RunOptions {
  fake?: FakePulumi;
  stacks?: Record<string, FakeStack>;
  env?: NodeJS.ProcessEnv;
  projectDir?: string;
  services?: DriverServices;
}

/** Runs `silkroute <argv>` end to end through the yargs layer and captures its output. */
export async function run(
  argv: string[],
  options: RunOptions = {},
): Promise<RunResult & { fake: FakePulumi }> {
  const fake = options.fake ?? new FakePulumi(options.stacks);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    projectDir: options.projectDir ?? fixtureProject(),
    services: {
      pulumi: fake.factory,
      env: options.env ?? pipelineEnv(),
      sleep: async () => undefined,
      ...options.services,
    },
  });
  return { code, out, err, all: [...out, ...err].join("\n"), fake };
}

/** Outputs of a deployed app stack at `version`. */
export function appOutputs(stackName: string, version: string): Record<string, unknown> {
  return {
    functionName: `silkroute-${stackName}-fn`,
    functionArn: `function:${stackName}`,
    roleArn: `role:${stackName}`,
    logGroupName: `/aws/lambda/silkroute-${stackName}-fn`,
    version,
    codeKey: `app/silkroute/${version}.zip`,
  };
}

/** eu-west-1's artifact bucket: the SSM parameter holds only the pipeline Region's (us-east-1). */
export const EU_BUCKET = ["--artifact-bucket", "eu-west-1=silkroute-artifacts-eu-west-1"];

/** `silkroute preview --env dev --target all` (eu-west-1's bucket named), then `extra`. */
export function previewAll(...extra: string[]): string[] {
  return ["preview", "--env", "dev", "--target", "all", ...EU_BUCKET, ...extra];
}
