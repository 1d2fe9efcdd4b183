#!/usr/bin/env node
// The `ledgerline` command. `npm ci` builds dist/ (the prepare script), so this runs compiled code.
require('../dist/apps/cli/src/main.js');
