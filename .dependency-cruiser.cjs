/**
 * The import graph's rules, checked by `npm run check:imports` (part of `npm test`): no import cycle anywhere in
 * the app, the sandbox or the scripts. The layer rules (which folder may import which) are lint rules, in
 * eslint.config.mjs.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A cycle means two modules are one: move what both need into a file of its own.",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|\\.data|test-results|playwright-report)/" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
