import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

// `npm run lint` caches results per file by content (node_modules/.cache/silkroute/eslintcache),
// so a warm run lints only the files that changed. The type-aware rules below read other files'
// types, and a cached file is not linted again when only a file it imports changed: a warm cache
// can miss e.g. a promise left floating by a function that became async. A clean clone (CI) has
// no cache and lints every file; `rm node_modules/.cache/silkroute/eslintcache` does it locally.

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "coverage/", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    // Every TypeScript file is type-checked: a promise left floating in the
    // driver, or an unhandled case of a union, is a bug wherever it is.
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // A `default:` is a deliberate catch-all (zod's other issue codes, a
      // TypeScript node's other kinds); without one every case is needed.
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    files: ["stacks/**/*.ts", "components/**/*.ts"],
    plugins: { pulumi },
    rules: {
      // An Output in a template literal renders as a warning string, not its value.
      "pulumi/no-output-in-template-literal": "error",
      "pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  {
    // Tests read recorded inputs as loose JSON.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always"],
      "no-restricted-syntax": [
        "error",
        {
          // `||` turns 0, false and "" into the default; config defaults use `??`.
          selector: "LogicalExpression[operator='||'] > Literal.right",
          message: "Use ?? for defaults, not ||.",
        },
        {
          // Under module node16 tsc keeps import() in a CommonJS file: an ECMAScript import that
          // ts-node (`pulumi up`) cannot load, of a package's ESM build, which jest never runs.
          selector: "ImportExpression",
          message: "Load lazily with require(…) as typeof import(…), not import().",
        },
      ],
    },
  },
);
