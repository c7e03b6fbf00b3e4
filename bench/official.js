// Times twilio-node's validateRequest / validateRequestWithBody on the inputs written by `core gen`
// (bench/run.sh).
//
// Usage: NODE_PATH=.../node_modules node official.js INPUTS.json  ->  prints {"case": ns_per_op} (JSON)
//
// Form webhooks: validateRequest(token, signature, url, params) with an object of the decoded POST
// parameters, as Express's body parser gives them. JSON webhooks: validateRequestWithBody(token,
// signature, url, body). Each answer must be true before it is timed. Timing: process.hrtime.bigint()
// around a loop; warm-up (~0.5 s, lets V8 optimise), iterations for a ~200 ms batch, 7 batches, fastest
// batch's ns/op, like the Rust and Python sides.
"use strict";
const fs = require("fs");
const twilio = require("twilio");

const REPEATS = 7;
const BATCH_NS = 200_000_000n;

function batch(f, n) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    if (f()) sink++;
  }
  const took = process.hrtime.bigint() - start;
  if (sink !== n) throw new Error("an answer changed while timing");
  return took;
}

function measure(name, f) {
  if (f() !== true) throw new Error(`${name}: twilio-node does not validate the input`);
  // Warm-up: let the JIT settle.
  const warm = process.hrtime.bigint();
  while (process.hrtime.bigint() - warm < 500_000_000n) batch(f, 100);
  let n = 1;
  for (;;) {
    const took = batch(f, n);
    if (took >= BATCH_NS / 4n) {
      n = Math.ceil((n * Number(BATCH_NS)) / Number(took));
      break;
    }
    n *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    best = Math.min(best, Number(batch(f, n)) / n);
  }
  return best;
}

const doc = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const token = doc.token;
const results = {};
for (const c of doc.cases) {
  let f;
  if (c.json !== undefined) {
    f = () => twilio.validateRequestWithBody(token, c.signature, c.url, c.json);
  } else {
    const params = Object.fromEntries(c.params);
    if (Object.keys(params).length !== c.params.length) throw new Error(`${c.name}: repeated names`);
    f = () => twilio.validateRequest(token, c.signature, c.url, params);
  }
  results[c.name] = measure(c.name, f);
}
results._version = require("twilio/package.json").version;
console.log(JSON.stringify(results));
