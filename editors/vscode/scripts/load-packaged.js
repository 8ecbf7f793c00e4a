// Load the packaged extension with a stand-in `vscode` module: proves every runtime
// dependency is inside the .vsix and the entry point exports activate/deactivate.
const Module = require('module');
const path = require('path');
const stub = new Proxy(function () {}, {
  get: (t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : stub),
  apply: () => stub,
  construct: () => stub,
});
const orig = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return stub;
  return orig.call(this, request, parent, isMain);
};
const ext = require(path.resolve(process.argv[2], 'out/src/extension.js'));
if (typeof ext.activate !== 'function' || typeof ext.deactivate !== 'function') {
  console.error('extension does not export activate/deactivate');
  process.exit(1);
}
require(path.resolve(process.argv[2], 'node_modules/vscode-languageclient/node.js'));
console.log('packaged extension loads');
