/**
 * A staff page's title says what the page shows to this viewer: its own name for staff, "Sign in" while nobody
 * is signed in, "Not on the staff list" for another wallet (the layout shows those instead of the page). The
 * viewer is worked out once per request for the layout and the title (`viewerOnce`).
 */
import type { Metadata } from "next";
import { cache } from "react";
import { staffViewer } from "@/lib/staff";

export const viewerOnce = cache(staffViewer);

export function staffPageMetadata(title: string): () => Promise<Metadata> {
  return async () => {
    const viewer = await viewerOnce();
    const shown = viewer.kind === "staff" ? title : viewer.kind === "signed_out" ? "Sign in" : "Not on the staff list";
    // the whole title (the layout's template is not applied to a title a page works out per request)
    return { title: { absolute: `${shown} · Staff` } };
  };
}
