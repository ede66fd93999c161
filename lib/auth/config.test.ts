import { describe, expect, it } from "vitest";

import { authConfigFrom } from "@/lib/auth/config";
import { loadEnv } from "@/lib/env";

const AZURE = {
  KEYWARD_MODE: "azure",
  KEYWARD_PUBLIC_URL: "https://keyward.contoso.com",
  DATABASE_URL: "postgres://keyward@db.internal:5432/keyward",
  AZURE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  AZURE_CLIENT_ID: "3f6e2b9a-7c41-4d2e-8a5f-1b9c0e7d6a21",
  AZURE_CLIENT_SECRET: "s3cr3t-value",
  KEYWARD_SESSION_KEYS: Buffer.alloc(32, 7).toString("base64"),
  KEYWARD_HSMS:
    '[{"name":"contoso-weu","url":"https://contoso-weu.managedhsm.azure.net","region":"r"}]',
  KEYWARD_AUDIT_SIGNING_KEY_FILE: "/etc/keyward/audit-signing.pem",
  KEYWARD_AUDIT_CONTAINER_URL: "https://contosoaudit.blob.core.windows.net/keyward-audit",
};

describe("authConfigFrom in azure mode", () => {
  it.each([
    ["Entra ID's public cloud by default", {}, "login.microsoftonline.com"],
    [
      "a sovereign cloud's authority",
      { AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us" },
      "login.microsoftonline.us",
    ],
  ])("trusts only the configured authority, without instance discovery: %s", (_, extra, host) => {
    const config = authConfigFrom(loadEnv({ ...AZURE, ...extra }, "/srv/keyward"));
    expect(config).toMatchObject({
      authority: `https://${host}/${AZURE.AZURE_TENANT_ID}`,
      metadataUrl: `https://${host}/${AZURE.AZURE_TENANT_ID}/v2.0/.well-known/openid-configuration`,
      knownAuthorities: [host],
      caPem: undefined,
      redirectUri: "https://keyward.contoso.com/api/auth/callback",
    });
  });
});
