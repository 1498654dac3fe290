import * as vscode from 'vscode';
import { type Logger } from '../core/host';
import { isSafeEventName, sanitizeTelemetry, type Telemetry } from '../core/telemetry';
import { afterActivation } from './afterActivation';
import { type DisposableStore } from './disposable';

declare const AI_DEVOPS_TELEMETRY_CONNECTION: string | undefined;

/** Injected at build time by esbuild (`define`); absent in development and in forks. */
const connectionString = typeof AI_DEVOPS_TELEMETRY_CONNECTION === 'string' ? AI_DEVOPS_TELEMETRY_CONNECTION : '';

/**
 * Telemetry through @vscode/extension-telemetry when the build carries a connection string, else
 * through VS Code's TelemetryLogger into the log at trace level so a user can see exactly what
 * would be sent. Both honour the user's telemetry setting; both get sanitized data only.
 */
export function createTelemetry(scope: DisposableStore, log: Logger): Telemetry {
  type Reporter = { sendTelemetryEvent(n: string, p?: Record<string, string>, m?: Record<string, number>): void; sendTelemetryErrorEvent(n: string, p?: Record<string, string>): void; dispose(): Promise<unknown> };
  let reporter: Reporter | undefined;
  if (connectionString) {
    // Loaded after activation: the reporter pulls in the 1DS SDK, which activation does not need.
    afterActivation(log, 'Loading the telemetry reporter', async () => {
      const { TelemetryReporter } = await import('./telemetryReporter');
      reporter = new TelemetryReporter(connectionString);
      scope.add({ dispose: () => void reporter?.dispose() });
    });
  }
  const logger = scope.add(
    vscode.env.createTelemetryLogger(
      {
        sendEventData: (name, data) => log.trace(`telemetry ${name} ${JSON.stringify(data ?? {})}`),
        sendErrorData: (error, data) => log.trace(`telemetry error ${error.name} ${JSON.stringify(data ?? {})}`),
      },
      { ignoreBuiltInCommonProperties: true },
    ),
  );
  return {
    event(name, properties, measurements) {
      if (!isSafeEventName(name)) return;
      const clean = sanitizeTelemetry(properties, measurements);
      if (reporter) reporter.sendTelemetryEvent(name, clean.properties, clean.measurements);
      else logger.logUsage(name, { ...clean.properties, ...clean.measurements });
    },
    error(name, properties) {
      if (!isSafeEventName(name)) return;
      const clean = sanitizeTelemetry(properties);
      if (reporter) reporter.sendTelemetryErrorEvent(name, clean.properties);
      else logger.logUsage(`error.${name}`, clean.properties);
    },
  };
}
