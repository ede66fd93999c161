export const SIGN_OUT_FORM_ID = "sign-out-form";

/** A plain form POST: same-origin, so it carries the Origin header the server checks. */
export function SignOutForm() {
  return (
    <form id={SIGN_OUT_FORM_ID} method="post" action="/api/auth/sign-out" className="hidden" />
  );
}
