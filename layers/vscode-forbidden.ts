// tsconfig.core.json resolves the module `vscode` to this file, for src/core and src/cli: they run in the
// CLI, the tests and the bench, where there is no VS Code. It exports none of vscode's names, so any use of
// `vscode` there fails to compile; and being compiled at all fails, with the line below as the message.
export const importedFromCoreOrCli: 'src/core and src/cli must not import vscode; put that code in src/vscode' = 'vscode imported';
