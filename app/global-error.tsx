"use client";

export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body
        style={{ fontFamily: "system-ui, sans-serif", padding: "4rem 1rem", textAlign: "center" }}
      >
        <h1>Keyward could not show this page</h1>
        <p>
          The error is recorded in the portal&apos;s log
          {error.digest ? ` under the reference ${error.digest}` : ""}.
        </p>
      </body>
    </html>
  );
}
