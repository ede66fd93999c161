import { GRAPH_RESOURCE, MANAGED_HSM_RESOURCE, OWN_API_SCOPE_NAME } from "./constants";

/*
 * Entra ID "resource applications" the local provider issues tokens for. MSAL never sends an
 * RFC 8707 `resource` parameter; it asks for scopes such as
 * `https://managedhsm.azure.net/.default`, so the resource is derived from the scope.
 */

export interface ResourceApp {
  indicator: string;
  audience: string;
  scopes: string[];
  /** Entra issues v1.0 tokens for Azure resources and v2.0 tokens for an app's own API. */
  tokenVersion: "1.0" | "2.0";
  /** The application whose app roles appear in user tokens for this resource. */
  appId?: string;
}

export function resourceApps(portalClientId: string): ResourceApp[] {
  return [
    {
      indicator: MANAGED_HSM_RESOURCE,
      audience: MANAGED_HSM_RESOURCE,
      scopes: ["user_impersonation"],
      tokenVersion: "1.0",
    },
    {
      indicator: GRAPH_RESOURCE,
      audience: GRAPH_RESOURCE,
      scopes: ["User.Read"],
      tokenVersion: "1.0",
    },
    {
      indicator: `api://${portalClientId}`,
      audience: portalClientId,
      scopes: [OWN_API_SCOPE_NAME],
      tokenVersion: "2.0",
      appId: portalClientId,
    },
  ];
}

/** The resource of the first scope in a space-separated list that names a known resource. */
export function resourceFromScope(
  apps: ResourceApp[],
  scope: string | undefined,
): ResourceApp | undefined {
  for (const value of scope?.split(" ") ?? []) {
    const app = apps.find((a) => value.startsWith(`${a.indicator}/`));
    if (app) return app;
  }
  return undefined;
}

/** Every scope of every resource, as Entra-style `<resource>/<scope>` strings. */
export function allResourceScopes(apps: ResourceApp[]): string[] {
  return apps.flatMap((a) => [
    ...a.scopes.map((s) => `${a.indicator}/${s}`),
    `${a.indicator}/.default`,
  ]);
}

/** `https://managedhsm.azure.net/user_impersonation` → `user_impersonation`, as Entra's `scp`. */
export function shortScopeNames(
  scope: string | undefined,
  app: ResourceApp | undefined,
): string | undefined {
  if (!scope || !app) return undefined;
  const names = scope
    .split(" ")
    .filter((s) => s.startsWith(`${app.indicator}/`))
    .map((s) => s.slice(app.indicator.length + 1))
    .filter((s) => s !== ".default");
  return names.length > 0 ? names.join(" ") : undefined;
}
