// The standalone add-on's context for the commands (CLI, worker, examples): the same options as
// the app's instance, without the pages and their stylesheet, which Node cannot load.
import { createAddonContext } from "../mount/context";
import { standaloneOptions } from "./options";

export const standaloneContext = createAddonContext(standaloneOptions);
