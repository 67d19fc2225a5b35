#!/usr/bin/env node
console.error('credinject: not built yet');
process.exit(2);
