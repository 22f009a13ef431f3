// zod 4 probes `new Function("")` when it builds its first object schema, to compile fast
// parsers. In the browser, under the strict CSP of this app or of any host (no 'unsafe-eval'),
// the probe is a reported CSP violation even though zod catches it. The schemas that reach the
// browser (lib/troubleshooting/report.ts) import this module first, so zod never tries.
import { z } from "zod";

z.config({ jitless: true });
