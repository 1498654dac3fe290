import type * as vscode from 'vscode';
import { z } from 'zod';

const STATE_KEY = 'aiDevops.confirmedHosts';
const RecordsSchema = z.record(z.string(), z.array(z.string()));

/**
 * Hosts the user allowed a workspace's settings to use, per workspace, in globalState (where no
 * repository can write). Read synchronously: settings are read synchronously too.
 */
export class ConfirmedHosts {
  constructor(private readonly memento: vscode.Memento) {}

  private records(): Record<string, string[]> {
    const parsed = RecordsSchema.safeParse(this.memento.get<unknown>(STATE_KEY));
    return parsed.success ? parsed.data : {};
  }

  has(workspaceKey: string, origin: string): boolean {
    return this.records()[workspaceKey]?.includes(origin) ?? false;
  }

  async add(workspaceKey: string, origin: string): Promise<void> {
    const records = this.records();
    const list = records[workspaceKey] ?? [];
    if (!list.includes(origin)) await this.memento.update(STATE_KEY, { ...records, [workspaceKey]: [...list, origin] });
  }

  async forget(workspaceKey: string): Promise<void> {
    const { [workspaceKey]: _gone, ...rest } = this.records();
    await this.memento.update(STATE_KEY, rest);
  }
}
