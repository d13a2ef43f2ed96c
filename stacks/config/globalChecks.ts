import { z } from "zod";
import {
  defaultChinaParameterPrefix,
  defaultCrossAccountParameter,
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
  readonly crossAccount?: { readonly parameterName?: string };
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
