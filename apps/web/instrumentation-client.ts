import { config } from 'zod';
import { installHistoryGuard } from './lib/history-guard';

// Runs before the dashboard's modules. The page's Content-Security-Policy forbids eval, and zod
// builds its object parsers with `new Function` unless told not to — its probe for that alone
// is reported as a CSP violation. Set before core's schemas (used by the draft form) are built,
// since each schema reads the setting when it is created.
config({ jitless: true });

// The leave guard's hold on Back/Forward must listen before Next's router does (lib/history-guard.ts).
installHistoryGuard();
