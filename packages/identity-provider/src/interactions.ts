import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";

import { applicationOfKind, demoAccounts, findUserByLogin, type Directory } from "./directory";
import type { Logger } from "./log";
import type { IdentityProviderSecrets } from "./secrets";
import { loginPage } from "./views/login";
import { messagePage } from "./views/messages";

const MAX_FORM_BYTES = 16 * 1024;

export interface InteractionOptions {
  provider: Provider;
  directory: Directory;
  secrets: IdentityProviderSecrets;
  mountPath: string;
  log: Logger;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error("form too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function sendHtml(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(body);
}

/**
 * The sign-in pages oidc-provider sends the browser to. Login asks for a username and password;
 * consent is granted at once for Keyward's own applications, as Entra ID admin consent does.
 */
export function createInteractionHandler(options: InteractionOptions) {
  const { provider, directory, secrets, mountPath, log } = options;
  const pattern = new RegExp(`^${mountPath}/interaction/([A-Za-z0-9_-]+)(/login|/abort)?$`);

  async function renderLogin(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    status: number,
    login?: string,
    error?: string,
  ) {
    const details = await provider.interactionDetails(req, res);
    const client = await provider.Client.find(String(details.params.client_id));
    const prompts =
      typeof details.params.prompt === "string" ? details.params.prompt.split(" ") : [];
    sendHtml(
      res,
      status,
      loginPage({
        action: `${mountPath}/interaction/${uid}/login`,
        cancelUrl: `${mountPath}/interaction/${uid}/abort`,
        clientName: client?.clientName ?? "the application",
        login:
          login ??
          (typeof details.params.login_hint === "string" ? details.params.login_hint : undefined),
        error,
        reauthentication: prompts.includes("login") || details.params.max_age !== undefined,
        accounts: demoAccounts(
          directory,
          applicationOfKind(directory, "portal").appId,
          secrets.idp.passwords,
        ),
      }),
    );
  }

  async function grantConsent(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error("consent without a signed-in account");
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId, clientId: String(details.params.client_id) }))
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(indicator, scopes.join(" "));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  /** Handles the request and returns true when the path is an interaction page. */
  return async function handleInteraction(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    const path = new URL(req.url ?? "/", "http://idp").pathname;
    const match = pattern.exec(path);
    if (!match) return false;
    const [, uid = "", action] = match;
    try {
      if (req.method === "GET" && action === undefined) {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === "consent") await grantConsent(req, res);
        else await renderLogin(req, res, uid, 200);
      } else if (req.method === "POST" && action === "/login") {
        const form = await readForm(req);
        const login = form.get("login")?.trim() ?? "";
        const user = findUserByLogin(directory, login);
        const expected = user ? secrets.idp.passwords[user.userPrincipalName] : undefined;
        if (
          !user ||
          !expected ||
          !sameSecret(form.get("password") ?? "", expected) ||
          !user.accountEnabled
        ) {
          log.info({ login }, "sign-in refused: wrong username or password");
          await renderLogin(req, res, uid, 401, login, "The username or password is incorrect.");
        } else {
          log.info({ login, oid: user.id }, "signed in");
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: user.id } },
            { mergeWithLastSubmission: false },
          );
        }
      } else if (req.method === "GET" && action === "/abort") {
        await provider.interactionFinished(
          req,
          res,
          { error: "access_denied", error_description: "The user cancelled the sign-in." },
          { mergeWithLastSubmission: false },
        );
      } else {
        sendHtml(res, 405, messagePage("Not allowed", "This page does not accept that request."));
      }
    } catch (error) {
      log.warn({ err: error }, "sign-in interaction failed");
      sendHtml(
        res,
        400,
        messagePage(
          "Sign-in expired",
          "This sign-in request has expired or is unknown. Return to the application and sign in again.",
        ),
      );
    }
    return true;
  };
}
