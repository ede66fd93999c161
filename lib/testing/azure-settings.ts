/**
 * The smallest complete azure-mode configuration, as a deployment's environment: tests of the
 * configuration and of what is derived from it start here and change one setting at a time.
 */
export const AZURE_MINIMAL = {
  KEYWARD_MODE: "azure",
  KEYWARD_PUBLIC_URL: "https://keyward.contoso.com",
  DATABASE_URL: "postgres://keyward@db.internal:5432/keyward",
  AZURE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  AZURE_CLIENT_ID: "3f6e2b9a-7c41-4d2e-8a5f-1b9c0e7d6a21",
  AZURE_CLIENT_SECRET: "s3cr3t-value",
  KEYWARD_SESSION_KEYS: Buffer.alloc(32, 7).toString("base64"),
  KEYWARD_HSMS: JSON.stringify([
    { name: "contoso-weu", url: "https://contoso-weu.managedhsm.azure.net", region: "West Europe" },
  ]),
  KEYWARD_AUDIT_SIGNING_KEY_FILE: "/etc/keyward/audit-signing.pem",
  KEYWARD_AUDIT_CONTAINER_URL: "https://contosoaudit.blob.core.windows.net/keyward-audit",
};
