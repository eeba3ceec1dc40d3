import type { NextConfig } from 'next';

const config: NextConfig = {
  // The api's type-only imports pull its sources into the type graph; `npm run typecheck`
  // (tsc) checks them once, so the build does not pay for a second full check.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};

export default config;
