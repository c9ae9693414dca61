/** The look of the text inputs in the staff forms (the Providers page's credentials and simulator). */
export const INPUT_CLASS =
  "min-h-11 w-full rounded-lg border border-slate-400 bg-white px-3 py-2 text-base focus-visible:outline-3 focus-visible:outline-brand";
