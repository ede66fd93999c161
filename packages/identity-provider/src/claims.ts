import type { AccessToken, ClientCredentials, JWTStructured } from "oidc-provider";

import {
  appRolesOf,
  findApplication,
  findObject,
  transitiveGroupsOf,
  type Directory,
  type DirectoryUser,
} from "./directory";
import { shortScopeNames, type ResourceApp } from "./resources";

/*
 * Tokens shaped like Entra ID's. ID tokens carry oid, tid, name, preferred_username, the
 * requesting application's app roles and the user's groups. Access tokens carry the same
 * identity plus idtyp; v1.0 tokens (Azure resources) name the client in `appid`, v2.0 tokens
 * in `azp`; delegated scopes appear as short names in `scp`, application permissions in `roles`.
 */

export function idTokenClaims(directory: Directory, user: DirectoryUser, clientId: string) {
  const app = findApplication(directory, clientId);
  return {
    sub: user.id,
    oid: user.id,
    tid: directory.tenant.id,
    ver: "2.0",
    name: user.displayName,
    preferred_username: user.userPrincipalName,
    roles: app ? appRolesOf(directory, user, app) : [],
    groups: transitiveGroupsOf(directory, user.id).map((g) => g.id),
  };
}

function resourceOf(
  apps: ResourceApp[],
  token: AccessToken | ClientCredentials,
): ResourceApp | undefined {
  const indicator = token.resourceServer?.identifier();
  return apps.find((a) => a.indicator === indicator);
}

export function extraAccessTokenClaims(
  directory: Directory,
  apps: ResourceApp[],
  token: AccessToken | ClientCredentials,
): Record<string, unknown> {
  const resource = resourceOf(apps, token);
  const clientId = token.clientId!;
  const base = { tid: directory.tenant.id, ver: resource?.tokenVersion ?? "2.0" };

  if (token.kind === "ClientCredentials") {
    const client = findApplication(directory, clientId);
    const granted = resource ? client?.applicationPermissions[resource.indicator] : undefined;
    return {
      ...base,
      oid: client?.servicePrincipalId,
      idtyp: "app",
      ...(granted && granted.length > 0 ? { roles: granted } : {}),
    };
  }

  const found = findObject(directory, token.accountId);
  if (found?.kind !== "user") return base;
  const user = found.object;
  const resourceApp = resource?.appId ? findApplication(directory, resource.appId) : undefined;
  return {
    ...base,
    oid: user.id,
    idtyp: "user",
    name: user.displayName,
    groups: transitiveGroupsOf(directory, user.id).map((g) => g.id),
    ...(resource?.tokenVersion === "1.0"
      ? { upn: user.userPrincipalName, unique_name: user.userPrincipalName }
      : { preferred_username: user.userPrincipalName }),
    ...(resourceApp ? { roles: appRolesOf(directory, user, resourceApp) } : {}),
  };
}

/**
 * Renames the OAuth claims oidc-provider writes into their Entra ID spelling. `clientAuth` is
 * how the client proved itself, as Entra's `appidacr`/`azpacr` say: "1" a client secret, "2" a
 * certificate or another client assertion.
 */
export function customizeAccessTokenJwt(
  apps: ResourceApp[],
  token: AccessToken | ClientCredentials,
  parts: JWTStructured,
  clientAuth: "1" | "2" = "1",
): void {
  const payload = parts.payload as Record<string, unknown>;
  const resource = resourceOf(apps, token);
  const clientId = payload.client_id;
  delete payload.client_id;
  if (resource?.tokenVersion === "1.0")
    Object.assign(payload, { appid: clientId, appidacr: clientAuth });
  else Object.assign(payload, { azp: clientId, azpacr: clientAuth });

  if (token.kind === "ClientCredentials") {
    delete payload.scope;
    payload.sub = payload.oid;
  } else {
    const scp = shortScopeNames(payload.scope as string | undefined, resource);
    delete payload.scope;
    if (scp) payload.scp = scp;
  }
  payload.nbf = payload.iat;
}
