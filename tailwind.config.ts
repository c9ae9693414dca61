/** Theme tokens, loaded by Tailwind 4 through `@config` in app/globals.css. */
import type { Config } from "tailwindcss";

export default {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      colors: {
        brand: { DEFAULT: "#4338ca", dark: "#3730a3", light: "#e0e7ff" },
        ink: { DEFAULT: "#0f172a", muted: "#475569" },
      },
    },
  },
} satisfies Config;
