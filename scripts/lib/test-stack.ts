import {
  startTestStack as startEmulatorStack,
  type TestStack as EmulatorStack,
  type TestHsm,
} from "@keyward/hsm-emulator/testing";
import { clientSecretOf } from "@keyward/identity-provider";

import type { TokenSource } from "@/lib/auth/credentials";

import { localAppCredential } from "./local-credential";

/*
 * The emulator's test stack (the local identity provider and the emulator in this process, on
 * free ports, over HTTPS with a throwaway CA), with the portal's own way of getting application
 * tokens: its MSAL set-up, as the sync and the HSM clients use it in production.
 */

export interface TestStack extends Omit<EmulatorStack, "credential"> {
  /** An application of the demo directory's token source, through the portal's MSAL. */
  credential: (appId: string) => TokenSource;
}

export type { TestHsm };

export async function startTestStack(
  hsms: TestHsm[],
  options: { testMode?: boolean; persistent?: boolean } = {},
): Promise<TestStack> {
  const stack = await startEmulatorStack(hsms, options);
  const sources = new Map<string, TokenSource>();
  const credential = (appId: string) => {
    let source = sources.get(appId);
    if (!source) {
      const secret = clientSecretOf(stack.directory, stack.secrets, appId);
      if (!secret) throw new Error(`no client secret for ${appId}`);
      source = localAppCredential({ issuer: stack.idp.issuer, caPem: stack.caPem, appId, secret });
      sources.set(appId, source);
    }
    return source;
  };
  return Object.assign(stack, { credential });
}
