#!/usr/bin/env node
// The `ledgerline` command. `npm install` builds dist/ (the prepare script), so this runs compiled code.
require('../dist/apps/cli/src/main.js');
