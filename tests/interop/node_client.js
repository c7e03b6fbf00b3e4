// Signs webhook requests with twilio-node's getExpectedTwilioSignature / getExpectedBodyHash and sends them
// with Node's fetch, like Twilio would. Same input and output as python_client.py:
// reads {"token": ..., "cases": [...]} as JSON on stdin; writes [{"name", "status", "body", "content_type"}].
const twilio = require("twilio");

function withQuery(url, name, value) {
  const [base, ...fragment] = url.split("#");
  const joiner = base.endsWith("?") || base.endsWith("&") ? "" : base.includes("?") ? "&" : "?";
  return base + joiner + name + "=" + value + (fragment.length ? "#" + fragment.join("#") : "");
}

// twilio-node takes repeated names as arrays.
function paramObject(pairs) {
  const params = {};
  for (const [name, value] of pairs) {
    if (!(name in params)) params[name] = value;
    else params[name] = [].concat(params[name], value);
  }
  return params;
}

async function run(c, token) {
  let url = c.url;
  let signUrl = c.sign_url || url;
  const headers = Object.assign({}, c.headers || {});
  const params = c.params || [];
  let body;
  let signature;
  if (c.json !== undefined && c.json !== null) {
    const hash = twilio.getExpectedBodyHash(c.sign_json || c.json);
    signUrl = withQuery(signUrl, "bodySHA256", hash);
    url = withQuery(url, "bodySHA256", hash);
    signature = twilio.getExpectedTwilioSignature(token, signUrl, {});
    body = c.json;
    headers["Content-Type"] = headers["Content-Type"] || "application/json";
  } else {
    signature = twilio.getExpectedTwilioSignature(token, signUrl, paramObject(c.sign_params || params));
    if (c.method !== "GET") {
      body = new URLSearchParams(params).toString();
      headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
  }
  if ("signature" in c) signature = c.signature;
  if (signature !== null) headers["X-Twilio-Signature"] = signature;
  const response = await fetch(url, { method: c.method, headers, body, redirect: "manual" });
  return {
    name: c.name,
    status: response.status,
    body: await response.text(),
    content_type: response.headers.get("content-type") || "",
  };
}

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const spec = JSON.parse(input);
  const results = [];
  for (const c of spec.cases) results.push(await run(c, spec.token));
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
