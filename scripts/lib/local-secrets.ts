import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { completeSecrets, type Directory } from "@keyward/identity-provider";

import { localSecretsPath, localSecretsSchema, type LocalSecrets } from "@/lib/local-secrets";

/**
 * Creates `<data dir>/secrets.json` on first run and keeps it afterwards: the identity
 * provider's secrets (completed for any application or user the demo directory gained since)
 * and the portal's session keys.
 */
export async function ensureLocalSecrets(
  dataDir: string,
  directory: Directory,
): Promise<LocalSecrets> {
  const file = localSecretsPath(dataDir);
  const existing = fs.existsSync(file)
    ? localSecretsSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")))
    : undefined;
  const { secrets: idpSecrets, changed } = await completeSecrets(
    directory,
    existing?.success ? existing.data : undefined,
  );
  const secrets: LocalSecrets = {
    ...idpSecrets,
    version: 1,
    sessionKeys: existing?.success
      ? existing.data.sessionKeys
      : [randomBytes(32).toString("base64")],
  };
  if (changed || !existing?.success)
    fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
