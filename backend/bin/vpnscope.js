#!/usr/bin/env -S node --max-semi-space-size=32
// The compiled CLI lives in backend/dist (npm run build:backend).
//
// --max-semi-space-size: a poll of a big status file allocates ~10 MB that dies when the poll ends.
// With V8's default young generation (16 MB semi-spaces) part of it lives through two scavenges,
// is copied into the old generation and collected again there; with 32 MB it dies young. At 10,000
// clients that takes the poll from 36–53 to 32–41 ms (BENCHMARKS.md), for ~30 MB more RSS.
// bench/status-poll.ts runs its polls with the flags of this line.
require('../dist/cli.js');
