import { describe, expect, it } from "vitest";

import { hsmOperation } from "./operation";

const HSM = "https://contoso.managedhsm.azure.net";

describe("hsmOperation", () => {
  it.each([
    ["GET", "/keys?api-version=7.6&maxresults=25", "GET /keys"],
    ["GET", "/keys/payments-signing-prod-01?api-version=7.6", "GET /keys/{name}"],
    ["GET", "/keys/payments/0f3c9a8b7d6e5f4a3b2c1d0e9f8a7b6c", "GET /keys/{name}/{version}"],
    ["POST", "/keys/payments/create", "POST /keys/{name}/create"],
    ["POST", "/keys/payments/rotate", "POST /keys/{name}/rotate"],
    ["PUT", "/keys/payments/rotationpolicy", "PUT /keys/{name}/rotationpolicy"],
    ["GET", "/keys/payments/versions", "GET /keys/{name}/versions"],
    ["POST", "/deletedkeys/payments/recover", "POST /deletedkeys/{name}/recover"],
    ["DELETE", "/deletedkeys/payments", "DELETE /deletedkeys/{name}"],
    [
      "PUT",
      "/keys/payments/providers/Microsoft.Authorization/roleAssignments/8d1f4c2a-6b3e-4f5a-9c7d-2e1b0a9f8e7d",
      "PUT /keys/{name}/providers/microsoft.authorization/roleassignments/{id}",
    ],
    [
      "GET",
      "/providers/Microsoft.Authorization/roleDefinitions?$filter=atScope()",
      "GET /providers/microsoft.authorization/roledefinitions",
    ],
    ["GET", "/backup/0f3c9a8b/pending", "GET /backup/{job}/pending"],
    ["PATCH", "/settings/AllowKeyManagementOperationsThroughARM", "PATCH /settings/{setting}"],
    ["get", "/", "GET /"],
  ])("%s %s → %s", (method, path, operation) => {
    expect(hsmOperation(method, `${HSM}${path}`)).toBe(operation);
  });
});
