// The standalone app is the add-on's first host: the same createTroubleshooter() a host calls,
// with today's environment variables mapped onto it (./options.ts), and its own sign-in as authorize().
import { createTroubleshooter } from "../mount";
import { standaloneOptions } from "./options";

export const troubleshooter = createTroubleshooter(standaloneOptions);
