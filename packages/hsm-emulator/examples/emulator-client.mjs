// Another project's code against the Keyward HSM emulator, with the unmodified Azure SDK.
//
//   npx hsm-emulator --port 8443          # writes .hsm-emulator/emulator.json
//   NODE_EXTRA_CA_CERTS=.hsm-emulator/tls/ca.pem node examples/emulator-client.mjs .hsm-emulator/emulator.json
//
// NODE_EXTRA_CA_CERTS makes Node trust the local CA (name-constrained to localhost) in addition
// to the system's roots; TLS verification stays on.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { KeyClient } from "@azure/keyvault-keys";

const connection = JSON.parse(
  fs.readFileSync(process.argv[2] ?? ".hsm-emulator/emulator.json", "utf8"),
);

/** A TokenCredential: client credentials against the local identity provider's token endpoint. */
const credential = {
  async getToken(scopes) {
    const response = await fetch(connection.tokenEndpoint, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: connection.toolClient.clientId,
        client_secret: connection.toolClient.clientSecret,
        scope: [scopes].flat()[0] ?? connection.scope,
      }),
    });
    if (!response.ok) throw new Error(`token request failed: HTTP ${response.status}`);
    const token = await response.json();
    return { token: token.access_token, expiresOnTimestamp: Date.now() + token.expires_in * 1000 };
  },
};

const [hsm] = connection.hsms;

/**
 * As after creating a real Managed HSM: the administrator grants itself the key roles, Crypto
 * Officer (manage keys) and Crypto User (use them), at scope "/". A second run finds them there.
 */
async function grantKeyRoles() {
  const { token } = await credential.getToken(connection.scope);
  const roles = {
    "515eb02d-2335-4d2d-92f2-b1cbdf9c3778": "b3a7d6a1-0c51-4f0e-9d8e-5f2c1e0a0001",
    "21dbd100-6940-42c2-9190-5d6cb909625b": "b3a7d6a1-0c51-4f0e-9d8e-5f2c1e0a0002",
  };
  for (const [role, assignmentName] of Object.entries(roles)) {
    const response = await fetch(
      `${hsm.url}/providers/Microsoft.Authorization/roleAssignments/${assignmentName}?api-version=7.6`,
      {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          properties: {
            roleDefinitionId: `Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/${role}`,
            principalId: connection.toolClient.objectId,
          },
        }),
      },
    );
    if (response.status !== 201 && response.status !== 409)
      throw new Error(`role assignment failed: HTTP ${response.status} ${await response.text()}`);
  }
}
await grantKeyRoles();
// The challenge names https://managedhsm.azure.net, which a localhost URL cannot match.
const client = new KeyClient(hsm.url, credential, { disableChallengeResourceVerification: true });

const name = `example-${Date.now()}`;
const key = await client.createRsaKey(name, { keySize: 2048 });
const signed = await client
  .getCryptographyClient(name)
  .sign("RS256", createHash("sha256").update("hello").digest());
console.log(JSON.stringify({ hsm: hsm.name, key: key.id, signatureBytes: signed.result.length }));
