#!/usr/bin/env node
// The compiled CLI lives in backend/dist (npm run build:backend).
require('../dist/cli.js');
