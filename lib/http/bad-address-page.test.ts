import { describe, expect, it } from "vitest";

import { BAD_ADDRESS_TITLE, badAddressPage } from "@/lib/http/bad-address-page";

describe("badAddressPage", () => {
  const html = badAddressPage({ requestId: "req-1234abcd", nonce: "n0nce" });

  it("says what is wrong, leads home and names the request id", () => {
    expect(html).toContain(`<h1>${BAD_ADDRESS_TITLE}</h1>`);
    expect(html).toContain('<a href="/">Go to Keyward</a>');
    expect(html).toContain("<code>req-1234abcd</code>");
    expect(html).toContain('<html lang="en">');
  });

  it("styles itself only through the nonce and runs no script", () => {
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).not.toMatch(/<script|\sstyle=|\son\w+=/i);
  });

  it("escapes what it is given", () => {
    const hostile = badAddressPage({ requestId: '"><script>x</script>', nonce: '"' });
    expect(hostile).not.toContain("<script>");
    expect(hostile).toContain("&quot;&gt;&lt;script&gt;");
    expect(hostile).toContain('<style nonce="&quot;">');
  });
});
