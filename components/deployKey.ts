import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { chinaKeyParameterNames, ChinaKeyParameterNames } from "./naming";
import { rotationTrigger, rotationWindow, RotationWindow, validateRotationDays } from "./rotation";

export interface DeployKeyArgs {
  /** Name of the China IAM user the key belongs to. */
  readonly userName: pulumi.Input<string>;
  /** China artifact bucket, written to `<parameterPrefix>/DeploymentS3Bucket`. */
  readonly bucketName: pulumi.Input<string>;
  /** SSM prefix in the global account, e.g. `/China/Dev` (seed); no trailing slash. */
  readonly parameterPrefix: string;
  /** ARN of the customer KMS key (global account, pipeline Region) that encrypts the SecureStrings. */
  readonly parameterKeyArn: pulumi.Input<string>;
  /** Provider of the global account and pipeline Region, where the parameters are written. */
  readonly globalProvider: pulumi.ProviderResource;
  /** Days a key lives before the next `pulumi up` replaces it. @default 30 */
  readonly rotationDays?: number;
  /** The moment the rotation window is computed for. @default now */
  readonly now?: Date;
  /** Set or change to force a new key on the next `pulumi up`. @default none */
  readonly rotationNonce?: string;
}

const PREFIX = /^\/[A-Za-z0-9_.\-/]*[A-Za-z0-9_.-]$/;

/** Validates DeployKey args; returns the problem or undefined. */
export function validateDeployKeyArgs(args: DeployKeyArgs): string | undefined {
  if (!PREFIX.test(args.parameterPrefix)) {
    return `parameterPrefix must be an SSM path such as /China/Dev (leading /, no trailing /), got ${args.parameterPrefix}`;
  }
  return validateRotationDays(args.rotationDays ?? 30, "rotationDays");
}

/**
 * The China deploy user's access key, and its copy in the global account's
 * SSM Parameter Store where the pipeline reads it.
 *
 * Rotation: the key's `replacementTrigger` is the current rotation window (and
 * the optional nonce). When a window ends, the next `pulumi up` replaces the
 * key create-then-delete (Pulumi's default order; IAM allows two keys per
 * user), the parameters take the new key's values in the same update, and
 * the old key is deleted last, after nothing reads it.
 *
 * Give the component the China provider; the parameters use `globalProvider`.
 */
export class DeployKey extends pulumi.ComponentResource {
  readonly accessKey: aws.iam.AccessKey;
  readonly window: RotationWindow;
  /** When IAM issued the current key (ISO 8601). */
  readonly createDate: pulumi.Output<string>;
  /** The first moment a `pulumi up` issues the next key (ISO 8601). */
  readonly nextRotation: string;
  readonly parameterNames: ChinaKeyParameterNames;

  constructor(name: string, args: DeployKeyArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:china:DeployKey", name, {}, opts);
    const problem = validateDeployKeyArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    this.window = rotationWindow(args.now ?? new Date(), args.rotationDays ?? 30);
    this.nextRotation = this.window.nextRotation;
    this.parameterNames = chinaKeyParameterNames(args.parameterPrefix);

    // Not deleteBeforeReplace: the new key must exist before the old one goes.
    this.accessKey = new aws.iam.AccessKey(
      `${name}-access-key`,
      { user: args.userName, status: "Active" },
      { parent: this, replacementTrigger: rotationTrigger(this.window, args.rotationNonce) },
    );

    const global = { parent: this, provider: args.globalProvider };
    const names = this.parameterNames;
    new aws.ssm.Parameter(
      `${name}-access-key-id`,
      {
        name: names.accessKey,
        description: "Access key id of the China deploy user (rotated by the china stack)",
        type: "SecureString",
        keyId: args.parameterKeyArn,
        value: pulumi.secret(this.accessKey.id),
        // Takes over the parameter the seed walkthrough created by hand.
        overwrite: true,
      },
      global,
    );
    new aws.ssm.Parameter(
      `${name}-secret-access-key`,
      {
        name: names.secretKey,
        description: "Secret access key of the China deploy user (rotated by the china stack)",
        type: "SecureString",
        keyId: args.parameterKeyArn,
        value: pulumi.secret(this.accessKey.secret),
        overwrite: true,
      },
      global,
    );
    new aws.ssm.Parameter(
      `${name}-bucket`,
      {
        name: names.bucket,
        description: "China artifact bucket the deploy-china project uploads to",
        type: "String",
        value: args.bucketName,
        overwrite: true,
      },
      global,
    );

    this.createDate = this.accessKey.createDate;
    this.registerOutputs({
      createDate: this.createDate,
      nextRotation: this.nextRotation,
      rotationId: this.window.id,
      parameterNames: this.parameterNames,
    });
  }
}
