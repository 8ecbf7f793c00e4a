import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { Discovery, findBerth, Host } from './discovery';
import { documentSelector } from './documents';
import { configurationFor, toServerSettings, ServerSettings } from './settings';

export const INSTALL_DOCS_URL = 'https://github.com/berth-lsp/berth#install';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('berth');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('berth.restartServer', () => restart()),
    vscode.commands.registerCommand('berth.showOutput', () => output.show()),
    vscode.workspace.onDidChangeConfiguration((e) => onConfigurationChanged(e)),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

function nodeHost(): Host {
  return {
    platform: process.platform,
    env: process.env,
    homedir: os.homedir(),
    cwd: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isExecutableFile(file: string): boolean {
      try {
        if (!fs.statSync(file).isFile()) {
          return false;
        }
        if (process.platform !== 'win32') {
          fs.accessSync(file, fs.constants.X_OK);
        }
        return true;
      } catch {
        return false;
      }
    },
  };
}

function currentSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration('berth');
  const { settings, problems } = toServerSettings({
    rules: config.get('rules'),
    maskSecrets: config.get('maskSecrets'),
  });
  for (const problem of problems) {
    output.appendLine(`[settings] ${problem}`);
  }
  return settings;
}

async function start(): Promise<void> {
  const setting = vscode.workspace.getConfiguration('berth').get<string>('path');
  const found: Discovery = findBerth(setting, nodeHost());
  if (!found.found) {
    output.appendLine(found.message);
    void showMissingBinary(found.message);
    return;
  }
  output.appendLine(`Starting ${found.path} lsp (found via ${found.from})`);

  const executable = { command: found.path, args: ['lsp'] };
  const serverOptions: ServerOptions = { run: executable, debug: executable };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions: currentSettings(),
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      workspace: {
        configuration: async (params, token, next) => {
          const settings = currentSettings();
          const answers = params.items.map((item) => configurationFor(item.section, settings));
          if (answers.every((a) => a !== undefined)) {
            return answers;
          }
          // Someone asked for another section too: let the default handler fill those in.
          const defaults = await next(params, token);
          if (!Array.isArray(defaults)) {
            return defaults;
          }
          return answers.map((a, i) => (a !== undefined ? a : defaults[i]));
        },
      },
    },
  };

  client = new LanguageClient('berth', 'berth', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    output.appendLine(`berth failed to start: ${String(err)}`);
    void vscode.window.showErrorMessage(
      `berth failed to start (${found.path}). See the berth output for details.`,
      'Show output',
    ).then((choice) => {
      if (choice === 'Show output') {
        output.show();
      }
    });
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined && running.state !== State.Stopped) {
    await running.stop();
  }
}

async function restart(): Promise<void> {
  output.appendLine('Restarting berth');
  await stop();
  await start();
}

async function showMissingBinary(message: string): Promise<void> {
  const install = 'Install instructions';
  const configure = 'Set berth.path';
  const choice = await vscode.window.showErrorMessage(
    `berth: ${message} Install berth, then run "berth: Restart server".`,
    install,
    configure,
  );
  if (choice === install) {
    await vscode.env.openExternal(vscode.Uri.parse(INSTALL_DOCS_URL));
  } else if (choice === configure) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'berth.path');
  }
}

async function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): Promise<void> {
  if (e.affectsConfiguration('berth.path')) {
    await restart();
    return;
  }
  if (
    client !== undefined &&
    client.isRunning() &&
    (e.affectsConfiguration('berth.rules') || e.affectsConfiguration('berth.maskSecrets'))
  ) {
    // Push the new values; a server that pulls with workspace/configuration gets the same.
    await client.sendNotification('workspace/didChangeConfiguration', {
      settings: { berth: currentSettings() },
    });
  }
}
