import { Brand } from "@/components/layout/brand";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="mx-auto flex min-h-svh max-w-md flex-col justify-center gap-8 p-6">
      <Brand />
      <div className="rounded-xl border bg-card p-8 shadow-sm">{children}</div>
    </main>
  );
}
