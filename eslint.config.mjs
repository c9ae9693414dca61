import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The layer rules (README, Layout): which folder may import which. Import cycles are checked by
 * dependency-cruiser (.dependency-cruiser.cjs, `npm run check:imports`).
 */
const relativeParent = { regex: "^\\.\\./", message: "Import through the @/ alias: app and components name what they use by its place." };

const layers = [
  {
    // route handlers: HTTP in, a service or query of lib out; never the database or a provider themselves
    files: ["app/**/route.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "^@/lib/db(/|$)", message: "Routes never touch the database: call the service or query in lib/ that does." },
            { regex: "^@/lib/providers(/|$)", message: "Routes never call a provider: the onboarding service (lib/onboarding) does." },
            { regex: "^@/sandbox(/|$)", message: "The app never imports the sandbox." },
            relativeParent,
          ],
        },
      ],
    },
  },
  {
    // the browser's code: only client-safe modules as values; server modules' types are fine (they are erased)
    files: ["components/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/lib/(?!wallet/|onboarding/types$|onboarding/view-schema$|staff/labels$)",
              allowTypeImports: true,
              message: "Components never import server modules (only `import type` from them): the browser gets data over the API.",
            },
            { regex: "^@/sandbox(/|$)", message: "The app never imports the sandbox." },
            relativeParent,
          ],
        },
      ],
    },
  },
  {
    // the application's server code never imports the sandbox or the test helpers (testing/; tests may)
    files: ["lib/**/*.ts", "proxy.ts", "instrumentation.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: "(^@/|^(\\.\\./)+)sandbox(/|$)", message: "The app never imports the sandbox." },
            { regex: "(^@/|^(\\.\\./)+)testing(/|$)", message: "Production code never imports the test helpers in testing/." },
          ],
        },
      ],
    },
  },
  {
    // the emulators share the providers' wire format (types, signing profile, sign-in text) and protocol helpers, nothing else of the app
    files: ["sandbox/**/*.ts"],
    ignores: ["**/*.test.ts", "sandbox/main.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/lib/(?!providers/[a-z]+/(types|signing-profile|sign-in-text)$|http/|log$|sandbox-defaults$|errors$)",
              message: "The sandbox shares only the providers' wire format and protocol helpers with the app.",
            },
            { regex: "^(\\.\\./)+(lib|app|components)/", message: "Import shared wire modules through @/lib/providers/<name>/…" },
          ],
        },
      ],
    },
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  ...layers,
  globalIgnores([".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**", ".test-reports/**"]),
]);
