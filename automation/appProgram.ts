import type { AppTarget } from "../stacks/app";

/** China deploy credentials, held in memory only (DESIGN.md rule 4). */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface InlineAppOptions {
  /** Role the provider assumes (cross-account environments). @default none: the caller's account */
  readonly assumeRoleArn?: string;
}

/**
 * The name of the app stack's provider. Never rename it: explicit provider
 * credentials live in its state, and a rename would replace every resource.
 */
export const APP_PROVIDER_NAME = "app";

/**
 * The app stack as an inline Pulumi program for one target: one explicit
 * `aws.Provider` in the target's Region and the app program on it. China keys
 * reach the provider only through this closure, as secret inputs — never as
 * stack config (passed as CLI arguments), environment variables or files.
 */
export function inlineAppProgram(
  target: AppTarget,
  credentials?: StaticCredentials,
  options: InlineAppOptions = {},
): () => Promise<Record<string, unknown>> {
  return async () => {
    // Loaded when Pulumi runs the program, not when the driver builds it (@pulumi/aws takes ~1 s).
    const [aws, pulumi, { appProgram }] = await Promise.all([
      import("@pulumi/aws"),
      import("@pulumi/pulumi"),
      import("../stacks/app"),
    ]);
    const provider = new aws.Provider(APP_PROVIDER_NAME, {
      region: target.region,
      ...(credentials && {
        accessKey: pulumi.secret(credentials.accessKeyId),
        secretKey: pulumi.secret(credentials.secretAccessKey),
      }),
      ...(options.assumeRoleArn && {
        assumeRoles: [
          {
            roleArn: options.assumeRoleArn,
            sessionName: `silkroute-${target.env}-${target.target}`,
          },
        ],
      }),
    });
    return { ...appProgram(target, provider) };
  };
}
