import fs from "node:fs";
import { chromium } from "@playwright/test";
const local = JSON.parse(fs.readFileSync(".keyward/local.json", "utf8"));
const account = local.accounts.find((a: { login: string }) => a.login === (process.argv[2] ?? "keyadmin@keyward.test"));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const page = await browser.newPage({ baseURL: local.portal.url, viewport: { width: 1400, height: 1100 } });
await page.goto("/sign-in");
await page.getByRole("link", { name: "Sign in with the local identity provider" }).click();
await page.getByLabel("Username").fill(account.login);
await page.getByLabel("Password").fill(account.password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL((url) => !url.pathname.includes("/interaction/"));
for (const [i, path] of process.argv.slice(3).entries()) {
  const response = await page.goto(path);
  console.log(path, response?.status());
  await page.screenshot({ path: `/tmp/shot-${i}.png`, fullPage: false });
}
await browser.close();
