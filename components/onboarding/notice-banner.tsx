/** The page's notice (signed out, switched accounts, a new message fetched) above the current step. */
import { Alert } from "@/components/ui/alert";
import type { Notice } from "./onboarding-types";

export function NoticeBanner({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  return (
    <Alert tone={notice.tone} title={notice.title} testId="flow-notice">
      {notice.text}
    </Alert>
  );
}
