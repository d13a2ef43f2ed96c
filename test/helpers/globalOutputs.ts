import { ORGANIZATION, PROJECT } from "../../automation/plan/evaluate";

export const GLOBAL_STACK_REFERENCE = `${ORGANIZATION}/${PROJECT}/global`;

/** The `global` stack's outputs as the china stack reads them (seed defaults). */
export const GLOBAL_OUTPUTS = {
  pipelineRegion: "us-east-1",
  prefix: "silkroute",
  chinaRegion: "cn-north-1",
  environments: [
    {
      name: "dev",
      globalRegions: ["us-east-1"],
      china: true,
      approval: false,
      chinaParameterPrefix: "/China/Dev",
    },
    {
      name: "stage",
      globalRegions: ["us-east-1"],
      china: true,
      approval: false,
      chinaParameterPrefix: "/China/Stage",
    },
    {
      name: "prod",
      globalRegions: ["us-east-1"],
      china: true,
      approval: true,
      chinaParameterPrefix: "/China/Prod",
    },
  ],
  parameterKeyArn: "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555",
  app: { kinds: ["function", "role", "log-group"], transforms: [], functionsUse: [] },
};

/** `stackOutputs` for evaluate(): the global stack as the china stack's StackReference sees it. */
export function globalStackOutputs(
  overrides: Partial<Record<keyof typeof GLOBAL_OUTPUTS, unknown>> = {},
): Record<string, Record<string, unknown>> {
  return { [GLOBAL_STACK_REFERENCE]: { ...GLOBAL_OUTPUTS, ...overrides } };
}

/** The china stack config of the shipped Pulumi.china.yaml, as `namespace:key` strings. */
export const CHINA_CONFIG: Record<string, string> = {
  "silkroute:globalRegion": "us-east-1",
  "silkroute:chinaRegion": "cn-north-1",
  "silkroute:environments": JSON.stringify([
    {
      name: "dev",
      bootstrap: {
        accessKeyIdParameter: "/China/Dev/Bootstrap/AccessKeyId",
        secretAccessKeyParameter: "/China/Dev/Bootstrap/SecretAccessKey",
      },
      parameterPrefix: "/China/Dev",
      keyRotationDays: 30,
    },
  ]),
};
