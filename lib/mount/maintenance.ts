// The maintenance settings of one add-on instance (lib/monitoring/maintenance.ts).
import { alertSettingsFrom } from "../monitoring/alerts/settings";
import type { MaintenanceSettings } from "../monitoring/maintenance";
import type { TroubleshooterConfig } from "./config";

export function maintenanceSettings(config: TroubleshooterConfig): MaintenanceSettings {
  return { config, alerts: alertSettingsFrom(config, config.basePath) };
}
