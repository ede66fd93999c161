import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

const PROCESS_ENV_BAN = [
  {
    selector: "MemberExpression[object.name='process'][property.name='env']",
    message: "Read configuration through lib/env.ts, the only reader of process.env.",
  },
  {
    selector: "MemberExpression[object.name='process'][property.value='env']",
    message: "Read configuration through lib/env.ts, the only reader of process.env.",
  },
];

const PARENT_IMPORTS = { group: ["../*"], message: "Use the @/ alias instead of ../ imports." };
const AZURE_SDK = {
  group: ["@azure/*"],
  message: "The Azure SDK stays behind lib/hsm (MSAL behind lib/auth).",
};
const LOCAL_SERVERS = {
  group: ["@keyward/*"],
  message:
    "The emulator and the identity provider are separate servers: reach them over HTTPS through lib/hsm and lib/auth.",
};
/*
 * The packages are test doubles of what the portal talks to: sharing the portal's code would let
 * a bug hide on both sides, so they import nothing from it (nor from the launchers).
 */
const PORTAL_CODE = {
  group: ["@/*"],
  message:
    "The local servers share no code with the portal: import from this package or another package under packages/.",
};
const DRIVERS = [
  { name: "better-sqlite3", message: "Use the Kysely client from lib/db." },
  { name: "pg", message: "Use the Kysely client from lib/db." },
];

/** Builds the import ban for a folder, leaving out the groups that folder may use. */
function restrictedImports({
  azure = true,
  allowAzure = [],
  localServers = true,
  drivers = true,
} = {}) {
  const patterns = [PARENT_IMPORTS];
  if (azure)
    patterns.push({
      ...AZURE_SDK,
      group: [...AZURE_SDK.group, ...allowAzure.map((name) => `!${name}`)],
    });
  if (localServers) patterns.push(LOCAL_SERVERS);
  return ["error", { paths: drivers ? DRIVERS : [], patterns }];
}

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "no-restricted-imports": restrictedImports(),
      "no-restricted-syntax": ["error", ...PROCESS_ENV_BAN],
      "no-console": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Pages, route handlers and components go through a domain's service: never the database or
    // the HSM themselves (their types may be named).
    files: ["app/**", "components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/db/*", "@/lib/hsm/*"],
              allowTypeImports: true,
              message: "Call the domain's service (lib/<domain>/service.ts) instead.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/env.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Next's documented guard: register() also runs in the edge runtime, where lib/env cannot load.
    files: ["instrumentation.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["lib/db/**"],
    rules: { "no-restricted-imports": restrictedImports({ drivers: false }) },
  },
  {
    files: ["lib/auth/**"],
    rules: { "no-restricted-imports": restrictedImports({ allowAzure: ["@azure/msal-node"] }) },
  },
  {
    files: ["lib/hsm/**"],
    rules: { "no-restricted-imports": restrictedImports({ azure: false }) },
  },
  {
    // lib/storage is the door to blob storage, as lib/hsm is to the HSMs.
    files: ["lib/storage/**"],
    rules: {
      "no-restricted-imports": restrictedImports({ allowAzure: ["@azure/storage-blob"] }),
    },
  },
  {
    files: ["scripts/**", "e2e/**", "bench/**"],
    rules: {
      "no-restricted-imports": restrictedImports({ localServers: false }),
      "no-console": "off",
    },
  },
  {
    // Tests may start the local servers in-process to test against the real thing.
    files: ["**/*.test.ts"],
    rules: { "no-restricted-imports": restrictedImports({ azure: false, localServers: false }) },
  },
  {
    // lib/db's own tests hold its driver wrappers to the drivers themselves.
    files: ["lib/db/**/*.test.ts"],
    rules: {
      "no-restricted-imports": restrictedImports({
        azure: false,
        localServers: false,
        drivers: false,
      }),
    },
  },
  {
    // The local servers are products of their own, with their own storage and relative imports.
    files: ["packages/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [PORTAL_CODE] }],
      // Nor by a relative path out of the package: another package is reached by its name.
      "import/no-relative-packages": "error",
    },
  },
  {
    // The packages' commands talk to the person who started them.
    files: ["packages/*/src/cli.ts"],
    rules: { "no-console": "off" },
  },
  {
    // Playwright fixtures hand values on through a callback named `use`; it is not React's hook.
    // End-to-end tests may read the stack's database directly to move its clock (session expiry).
    files: ["e2e/**"],
    rules: {
      "react-hooks/rules-of-hooks": "off",
      "no-restricted-imports": restrictedImports({ localServers: false, drivers: false }),
    },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    extends: [tseslint.configs.disableTypeChecked],
  },
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    ".keyward/**",
    "test-results/**",
    "playwright-report/**",
  ]),
]);
