import { Button } from "@/components/ui/button";
import { Brand } from "@/components/layout/brand";
import { SIGN_OUT_FORM_ID, SignOutForm } from "@/components/layout/sign-out-form";
import type { MenuUser } from "@/components/layout/user-menu";

/** Shown to a signed-in user who holds no Keyward role: what happened and what to do. */
export function NoAccess({ user }: { user: MenuUser }) {
  return (
    <main className="mx-auto flex min-h-svh max-w-lg flex-col justify-center gap-6 p-6">
      <Brand />
      <div className="space-y-3">
        <h1 className="text-2xl font-semibold tracking-tight">You have no access to Keyward yet</h1>
        <p className="text-muted-foreground">
          You are signed in as <strong className="text-foreground">{user.name}</strong> (
          {user.username}), but your account holds none of Keyward&apos;s roles: Requester, Key
          administrator, Approver or Auditor.
        </p>
        <p className="text-muted-foreground">
          Ask your key team to assign you a Keyward role in Microsoft Entra ID, then sign in again.
        </p>
      </div>
      <SignOutForm />
      <Button type="submit" form={SIGN_OUT_FORM_ID} variant="outline" className="self-start">
        Sign out
      </Button>
    </main>
  );
}
