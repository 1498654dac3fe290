// Loaded with `await import('./telemetryReporter')` so the 1DS SDK under the reporter becomes its own
// lazy chunk (esbuild splits only dynamic imports of our own files); activation does not need it.
export { TelemetryReporter } from '@vscode/extension-telemetry';
