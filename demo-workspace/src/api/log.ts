/** One JSON line per API request: method, route, status, duration and correlation id. */
export const logLine = (entry: Record<string, unknown>): void => {
  // TODO AB#20 ship these lines to the log workspace instead of stdout
  process.stdout.write(JSON.stringify({ at: new Date().toISOString(), ...entry }) + '\n');
};
