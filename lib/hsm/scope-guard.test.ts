import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { describe, expect, it } from "vitest";

import { managedHsmScopeOnly } from "@/lib/hsm/handle";

const TOKEN: AccessToken = { token: "t", expiresOnTimestamp: 0 };

function recording(): { credential: TokenCredential; asked: (string | string[])[] } {
  const asked: (string | string[])[] = [];
  return {
    asked,
    credential: {
      getToken: (scopes) => {
        asked.push(scopes);
        return Promise.resolve(TOKEN);
      },
    },
  };
}

describe("managedHsmScopeOnly: what an HSM outside Azure may ask the portal's identity for", () => {
  it.each([
    ["Managed HSM's resource", "https://managedhsm.azure.net/.default"],
    ["Managed HSM's resource, as a list", ["https://managedhsm.azure.net/.default"]],
  ])("passes %s on", async (_, scopes) => {
    const { credential, asked } = recording();
    await expect(managedHsmScopeOnly(credential).getToken(scopes)).resolves.toBe(TOKEN);
    expect(asked).toEqual([scopes]);
  });

  it.each([
    ["Microsoft Graph", "https://graph.microsoft.com/.default"],
    ["blob storage", "https://storage.azure.com/.default"],
    ["another vault's resource", "https://vault.azure.net/.default"],
    [
      "Managed HSM with Graph",
      ["https://managedhsm.azure.net/.default", "https://graph.microsoft.com/.default"],
    ],
  ])("refuses %s without asking the identity provider", (_, scopes) => {
    const { credential, asked } = recording();
    expect(() => managedHsmScopeOnly(credential).getToken(scopes)).toThrow(
      /an HSM outside Azure gets https:\/\/managedhsm\.azure\.net\/\.default only/,
    );
    expect(asked).toEqual([]);
  });
});
