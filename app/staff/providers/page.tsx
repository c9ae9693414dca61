import { ProvidersPanel } from "@/components/staff/providers-panel";
import { staffPageMetadata } from "@/app/staff/page-metadata";

export const generateMetadata = staffPageMetadata("Providers");
export const dynamic = "force-dynamic";

/** Staff: provider status, OffBlocks credentials (rotate, revoke) and, in sandbox mode, the simulator. */
export default function StaffProvidersPage() {
  return (
    <main id="main" className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-4 py-6">
      <div>
        <h1 className="text-2xl font-bold">Providers</h1>
        <p className="mt-1 text-slate-700">Status of each provider, the OffBlocks credentials, and the sandbox simulator.</p>
      </div>
      <ProvidersPanel />
    </main>
  );
}
