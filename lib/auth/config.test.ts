import { describe, expect, it } from "vitest";

import { authConfigFrom } from "@/lib/auth/config";
import { loadEnv } from "@/lib/env";
import { AZURE_MINIMAL } from "@/lib/testing/azure-settings";

describe("authConfigFrom in azure mode", () => {
  it.each([
    ["Entra ID's public cloud by default", {}, "login.microsoftonline.com"],
    [
      "a sovereign cloud's authority",
      { AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" },
      "login.microsoftonline.us",
    ],
  ])("trusts only the configured authority, without instance discovery: %s", (_, extra, host) => {
    const config = authConfigFrom(loadEnv({ ...AZURE_MINIMAL, ...extra }, "/srv/keyward"));
    expect(config).toMatchObject({
      authority: `https://${host}/${AZURE_MINIMAL.AZURE_TENANT_ID}`,
      metadataUrl: `https://${host}/${AZURE_MINIMAL.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      knownAuthorities: [host],
      caPem: undefined,
      redirectUri: "https://keyward.contoso.com/api/auth/callback",
    });
  });
});
