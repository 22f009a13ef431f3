// The maintenance settings of one add-on instance (lib/monitoring/maintenance.ts): its
// configuration, its alert settings, and its engine (to resume runs whose approvals expired).
import { alertSettingsFrom } from "../monitoring/alerts/settings";
import type { MaintenanceSettings } from "../monitoring/maintenance";
import type { AddonContext } from "./context";

export function maintenanceSettings(addon: AddonContext): MaintenanceSettings {
  const config = addon.config();
  return { config, alerts: alertSettingsFrom(config, config.basePath), engine: addon.engine };
}
