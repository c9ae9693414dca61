import { StaffOverview } from "@/components/staff/overview";
import { staffPageMetadata } from "@/app/staff/page-metadata";

export const generateMetadata = staffPageMetadata("Overview");

/** Staff: the funnel, started/verified per day, the numbers and the stuck onboardings. */
export default function StaffOverviewPage() {
  return (
    <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6">
      <StaffOverview />
    </main>
  );
}
