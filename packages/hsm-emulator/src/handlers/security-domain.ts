import { ok } from "../http/response";
import { pattern, type Route } from "../http/router";
import { ACTIONS } from "../rbac/data-actions";

/*
 * Security domain. Every emulated HSM starts activated (its security domain downloaded), so the
 * status endpoints report success; the domain itself is the key that seals backups.
 */

const activated = {
  status: "Success",
  status_details: "The security domain of this HSM is activated.",
};

export const securityDomainRoutes: Route[] = [
  {
    method: "GET",
    match: pattern("securitydomain/download/pending"),
    operation: "SecurityDomainDownloadStatus",
    opClass: "admin",
    action: ACTIONS.securityDomainDownloadRead,
    apiVersionOptional: true,
    handle: () => ok(activated),
  },
  {
    method: "GET",
    match: pattern("securitydomain/upload/pending"),
    operation: "SecurityDomainUploadStatus",
    opClass: "admin",
    action: ACTIONS.securityDomainUploadRead,
    apiVersionOptional: true,
    handle: () => ok(activated),
  },
];
