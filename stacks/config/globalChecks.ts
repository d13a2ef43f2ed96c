import { z } from "zod";
import {
  appPrefixOf,
  defaultChinaParameterPrefix,
  defaultCrossAccountParameter,
  MAX_APP_PREFIX_LENGTH,
  reservedArtifactFolder,
} from "../../components/naming";

/*
 * Checks of the global config across keys, each a zod superRefine: what no
 * single key's schema can see, and what would otherwise show only in the
 * plan's rules or at deploy time.
 */

interface EnvironmentInput {
  readonly name: string;
  readonly china: boolean;
  readonly chinaParameterPrefix?: string;
  readonly crossAccount?: {
    readonly accountId: string;
    readonly roleName: string;
    readonly parameterName?: string;
  };
}

/**
 * No two environments read the same SSM names: each environment's deploy
 * identity may read its own China key parameters and cross-account role
 * parameter only. The seed's default names drop the hyphens of an environment
 * name (`dev-1` and `dev1` are both `/China/Dev1`), so two names can meet.
 */
export function ssmNamesApart(
  cfg: { readonly environments: readonly EnvironmentInput[] },
  ctx: z.RefinementCtx,
): void {
  const owners = new Map<string, string>();
  cfg.environments.forEach((env, i) => {
    const names: { key: string[]; name: string; example: string }[] = [];
    if (env.china) {
      names.push({
        key: ["chinaParameterPrefix"],
        name: env.chinaParameterPrefix ?? defaultChinaParameterPrefix(env.name),
        example: `/China/${env.name}`,
      });
    }
    if (env.crossAccount) {
      names.push({
        key: ["crossAccount", "parameterName"],
        name: env.crossAccount.parameterName ?? defaultCrossAccountParameter(env.name),
        example: `/US/${env.name}/CrossAccountStageRole`,
      });
    }
    for (const { key, name, example } of names) {
      const owner = owners.get(name);
      if (owner !== undefined && owner !== env.name) {
        ctx.addIssue({
          code: "custom",
          path: ["environments", i, ...key],
          params: { example },
          message: `must differ from environment ${owner}'s, ${name}: each environment's deploy identity reads SSM names of its own`,
        });
      }
      owners.set(name, env.name);
    }
  });
}

/**
 * The prefix names the pipeline, and CodePipeline keeps its artifacts in the
 * folder of the first 20 characters of that name in every artifact bucket:
 * it must not be a folder silkroute keeps other objects in there. Prefix `app`
 * would let the build role write the code zips prod deploys and expire them
 * with the pipeline's artifacts; `pr-preview-results` would let the preview
 * role write the build output prod deploys.
 */
export function prefixApartFromFolders(
  cfg: { readonly prefix: string },
  ctx: z.RefinementCtx,
): void {
  const reserved = reservedArtifactFolder(cfg.prefix);
  if (reserved === undefined) return;
  ctx.addIssue({
    code: "custom",
    path: ["prefix"],
    message: `would make the pipeline keep its artifacts in ${reserved.folder} of the artifact buckets (the first 20 characters of the prefix), where silkroute keeps ${reserved.holds}: choose another prefix`,
  });
}

/**
 * No two environments assume one cross-account role: each environment's
 * deploy identity may assume its own role only, so two environments sharing
 * one would each reach the other's account (stage's deploy, before the
 * approval, would hold prod's role).
 */
export function crossAccountRolesApart(
  cfg: { readonly environments: readonly EnvironmentInput[] },
  ctx: z.RefinementCtx,
): void {
  const owners = new Map<string, string>();
  cfg.environments.forEach((env, i) => {
    if (env.crossAccount === undefined) return;
    const role = `${env.crossAccount.accountId}/${env.crossAccount.roleName}`;
    const owner = owners.get(role);
    if (owner !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["environments", i, "crossAccount", "roleName"],
        input: env.crossAccount.roleName,
        params: { example: `${env.crossAccount.roleName}-${env.name}`.slice(0, 64) },
        message: `is the role environment ${owner} assumes in account ${env.crossAccount.accountId} too: each environment's deploy identity must assume a role of its own, or ${owner}'s deploy holds ${env.name}'s role before ${env.name}'s approval; create a role for ${env.name} there`,
      });
    }
    owners.set(role, env.name);
  });
}

/**
 * The app prefix `<prefix>-<env>` of every environment fits the app's names
 * (MAX_APP_PREFIX_LENGTH): a 24-character prefix and a 16-character name pass
 * their own checks but not together.
 */
export function appPrefixesFit(
  cfg: { readonly prefix: string; readonly environments: readonly EnvironmentInput[] },
  ctx: z.RefinementCtx,
): void {
  const room = MAX_APP_PREFIX_LENGTH - cfg.prefix.length - 1;
  cfg.environments.forEach((env, i) => {
    const appPrefix = appPrefixOf(cfg.prefix, env.name);
    if (appPrefix.length <= MAX_APP_PREFIX_LENGTH) return;
    ctx.addIssue({
      code: "custom",
      path: ["environments", i, "name"],
      input: env.name,
      params: { example: env.name.slice(0, Math.max(room, 1)).replace(/-+$/, "") },
      message: `makes with silkroute:prefix ${cfg.prefix} the app prefix ${appPrefix}, ${appPrefix.length} characters, more than the ${MAX_APP_PREFIX_LENGTH} the app's resource names allow: shorten silkroute:prefix or this name to at most ${room} characters`,
    });
  });
}
