import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "identity-provider",
    include: ["{src,test}/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
