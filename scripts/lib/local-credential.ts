import { applicationTokenSource, type TokenSource } from "@/lib/auth/credentials";
import { createMsal } from "@/lib/auth/msal";

/*
 * A TokenCredential for an application of the local demo directory, through real MSAL and the
 * client-credentials grant against the local identity provider (tests, seeding, benchmarks).
 * Needs the react-server condition, as lib/auth is server-only.
 */
export function localAppCredential(options: {
  issuer: string;
  caPem: string;
  appId: string;
  secret: string;
}): TokenSource {
  return applicationTokenSource(
    createMsal({
      clientId: options.appId,
      authority: options.issuer,
      metadataUrl: `${options.issuer}/.well-known/openid-configuration`,
      knownAuthorities: [new URL(options.issuer).host],
      credential: { kind: "secret", secret: options.secret },
      caPem: options.caPem,
    }),
  );
}
