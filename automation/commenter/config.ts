import { COMMENTER_VARIABLES, GITHUB_API } from "../../components/commenterContract";

// The poster's configuration, read from the variables its component sets.

interface CommonConfig {
  readonly env: string;
  readonly project: string;
  readonly bucket: string;
}

export type CommenterConfig = CommonConfig &
  (
    | { readonly provider: "codecommit"; readonly repository: string }
    | {
        readonly provider: "github";
        readonly owner: string;
        readonly repo: string;
        readonly tokenSecret: string;
        readonly apiBase: string;
      }
  );

const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const GITHUB_REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The configuration in `vars`; a missing or malformed value is an Error naming the variable. */
export function commenterConfig(vars: NodeJS.ProcessEnv): CommenterConfig {
  const read = (key: keyof typeof COMMENTER_VARIABLES): string => {
    const name = COMMENTER_VARIABLES[key];
    const value = vars[name]?.trim();
    if (!value) throw new Error(`${name} is not set: redeploy the global stack`);
    return value;
  };
  const env = read("env");
  if (!ENV_NAME.test(env)) {
    throw new Error(`${COMMENTER_VARIABLES.env} must be an environment name, got ${env}`);
  }
  const common = { env, project: read("project"), bucket: read("bucket") };
  const provider = read("provider");
  const repository = read("repository");
  if (provider === "codecommit") return { ...common, provider, repository };
  if (provider !== "github") {
    throw new Error(
      `${COMMENTER_VARIABLES.provider} must be github or codecommit, got ${provider}`,
    );
  }
  if (!GITHUB_REPOSITORY.test(repository)) {
    throw new Error(`${COMMENTER_VARIABLES.repository} must be owner/repo, got ${repository}`);
  }
  // GITHUB_REPOSITORY: exactly owner/repo.
  const [owner = "", repo = ""] = repository.split("/");
  const apiUrl = vars[COMMENTER_VARIABLES.apiUrl]?.trim();
  const apiBase = (apiUrl === undefined || apiUrl === "" ? GITHUB_API : apiUrl).replace(/\/+$/, "");
  return { ...common, provider, owner, repo, tokenSecret: read("tokenSecret"), apiBase };
}
