import { buildSync } from "esbuild";
import * as path from "path";
import { projectRoot } from "./projectRoot";

/** The poster's entry module, relative to the project root. */
export const COMMENTER_ENTRY = path.join("automation", "commenter", "handler.ts");

/** The Lambda runtime the bundle targets (Lambda.2: a supported runtime). */
export const COMMENTER_RUNTIME = "nodejs22.x";

let bundled: string | undefined;

/**
 * The AWS SDK clients the poster calls, left to the nodejs22.x runtime, which
 * ships the AWS SDK for JavaScript v3: bundling them would make the archive
 * ten times larger and every offline plan half a second slower. The CodeBuild
 * client is not among them: the poster uses only its enums, which the bundle
 * keeps (tree-shaken) rather than load the whole client at a cold start.
 */
export const RUNTIME_PROVIDED = [
  "@aws-sdk/client-codecommit",
  "@aws-sdk/client-s3",
  "@aws-sdk/client-secrets-manager",
  "@smithy/*",
];

/**
 * The PR comment poster's code as one CommonJS file for the nodejs22.x
 * runtime: automation/commenter/handler.ts and everything it imports (the
 * comment renderer and publishers, zod/mini) but the SDK clients the runtime
 * provides, built by esbuild from this checkout's sources when the global
 * stack runs, so the deployed code is exactly the repository's, never a pull
 * request's and never a stale build. The text depends only on the sources and
 * the locked dependencies (paths in it are relative to the project root), so
 * the offline plan shows the same size on every machine.
 */
export function buildCommenterBundle(): string {
  const result = buildSync({
    absWorkingDir: projectRoot(),
    entryPoints: [COMMENTER_ENTRY],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    external: RUNTIME_PROVIDED,
    // ES modules tree-shake (the CodeBuild enums, zod/mini); CommonJS builds do not.
    mainFields: ["module", "main"],
    minify: false,
    sourcemap: false,
    write: false,
    logLevel: "silent",
  });
  const [bundle] = result.outputFiles;
  if (bundle === undefined) throw new Error("esbuild wrote no bundle of the PR comment poster");
  return bundle.text;
}

/** buildCommenterBundle, once per process (every plan and deployment of the global stack). */
export function commenterBundle(): string {
  bundled ??= buildCommenterBundle();
  return bundled;
}
