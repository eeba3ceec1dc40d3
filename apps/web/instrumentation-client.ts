import { config } from 'zod';

// Runs before the dashboard's modules. The page's Content-Security-Policy forbids eval, and zod
// builds its object parsers with `new Function` unless told not to — its probe for that alone
// is reported as a CSP violation. Set before core's schemas (used by the draft form) are built,
// since each schema reads the setting when it is created.
config({ jitless: true });
